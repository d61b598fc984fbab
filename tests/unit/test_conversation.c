/* test_conversation.c — conversation keys: both directions of a connection
 * share one key, in plain captures, on a tunnel's underlay (the two VTEPs swap
 * with the direction: captures/vxlan-underlay.pcapng) and in VPC Traffic
 * Mirroring (one outer source both ways: captures/alb-mirror.pcapng); two
 * mirror sessions of one connection stay apart. */
#include "check.h"

#include <string.h>

#include "conversation.h"

static const tlsa_ip_t client = { 4, { 10, 93, 0, 1 } }, server = { 4, { 10, 93, 0, 2 } };
static const tlsa_ip_t vtep_a = { 4, { 10, 93, 1, 1 } }, vtep_b = { 4, { 10, 93, 1, 2 } };
static const tlsa_ip_t eni = { 4, { 10, 0, 1, 25 } }, target = { 4, { 10, 0, 9, 100 } };
static const tlsa_ip_t eni2 = { 4, { 10, 0, 2, 25 } };

/* Each key gets a tunnel of its own (another copy, as in another session):
 * keys compare tunnels by value. */
static tlsa_tunnel_t tunnels[16];
static unsigned n_tunnels;
static bool last_src_is_b;

static void key(tlsa_conv_key_t *k, tlsa_side_t *side, bool from_client, const tlsa_ip_t *osrc,
                const tlsa_ip_t *odst, bool has_vni, uint32_t vni)
{
    const tlsa_tunnel_t *tunnel = NULL;
    if (has_vni) {
        tlsa_tunnel_t *t = &tunnels[n_tunnels++ % 16];
        tlsa_tunnel_make(t, osrc, odst, vni, &last_src_is_b);
        tunnel = t;
    }
    if (from_client)
        tlsa_conv_key_make(k, &client, 50000, &server, 443, 6, tunnel, side);
    else
        tlsa_conv_key_make(k, &server, 443, &client, 50000, 6, tunnel, side);
}

static void same(const tlsa_conv_key_t *x, const tlsa_conv_key_t *y, const char *what)
{
    CHECK(tlsa_conv_key_equal(x, y) && tlsa_conv_key_hash(x) == tlsa_conv_key_hash(y), "%s: one key", what);
}

int main(void)
{
    tlsa_conv_key_t c2s, s2c, other;
    tlsa_side_t sc, ss;

    /* No tunnel. */
    key(&c2s, &sc, true, NULL, NULL, false, 0);
    key(&s2c, &ss, false, NULL, NULL, false, 0);
    same(&c2s, &s2c, "plain");
    CHECK(sc != ss, "the two directions are two sides");

    /* A tunnel's underlay: client->server goes vtep_a->vtep_b, the answer
     * vtep_b->vtep_a. One conversation (it used to be two). */
    key(&c2s, &sc, true, &vtep_a, &vtep_b, true, 42);
    bool c2s_src_is_b = last_src_is_b;
    key(&s2c, &ss, false, &vtep_b, &vtep_a, true, 42);
    same(&c2s, &s2c, "underlay");
    CHECK(c2s.tunnel != s2c.tunnel, "two copies of the tunnel");
    CHECK(sc != ss, "underlay: the two directions are two sides");
    CHECK(c2s_src_is_b != last_src_is_b, "underlay: the outer sources are the tunnel's two ends");
    CHECK(c2s.tunnel->outer_a.addr[3] == 1 && c2s.tunnel->outer_b.addr[3] == 2, "canonical order");

    /* A copy of a key that owns its tunnel is the same key. */
    tlsa_conv_key_t copy;
    tlsa_tunnel_t kept;
    tlsa_conv_key_copy(&copy, &kept, &c2s);
    same(&copy, &c2s, "copy");
    CHECK(copy.tunnel == &kept, "the copy's tunnel is its own");

    /* VPC Traffic Mirroring: both directions from the ENI to the target. */
    key(&c2s, &sc, true, &eni, &target, true, 4242);
    key(&s2c, &ss, false, &eni, &target, true, 4242);
    same(&c2s, &s2c, "mirror");
    tlsa_conv_t conv;
    memset(&conv, 0, sizeof conv);
    conv.key = c2s;
    conv.outer_src_b = last_src_is_b;
    CHECK(memcmp(tlsa_conv_outer_src(&conv), &eni, sizeof eni) == 0, "mirror: the outer source is the ENI");
    conv.key.tunnel = NULL;
    CHECK(tlsa_conv_outer_src(&conv) == NULL, "no outer source without a tunnel");

    /* Two mirror sessions of one connection: another VNI ... */
    key(&other, &sc, true, &eni, &target, true, 4243);
    CHECK(!tlsa_conv_key_equal(&c2s, &other), "another VNI: another conversation");
    /* ... or another source (a second ENI mirrored to the same target, same VNI). */
    key(&other, &sc, true, &eni2, &target, true, 4242);
    CHECK(!tlsa_conv_key_equal(&c2s, &other), "another mirror source: another conversation");
    /* A tunnel is not the plain connection. */
    key(&other, &sc, true, NULL, NULL, false, 0);
    CHECK(!tlsa_conv_key_equal(&c2s, &other), "tunnelled and plain stay apart");
    return check_report("test_conversation");
}
