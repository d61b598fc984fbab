/* conversation.c — conversation keys and endpoints.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "conversation.h"

#include "number_text.h"

#include <arpa/inet.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

static int ip_compare(const tlsa_ip_t *x, const tlsa_ip_t *y)
{
    if (x->family != y->family)
        return x->family < y->family ? -1 : 1;
    return memcmp(x->addr, y->addr, sizeof x->addr);
}

void tlsa_conv_key_make(tlsa_conv_key_t *key, const tlsa_ip_t *src, uint16_t sport,
                        const tlsa_ip_t *dst, uint16_t dport, uint8_t transport,
                        const tlsa_tunnel_t *tunnel, tlsa_side_t *side)
{
    memset(key, 0, sizeof *key);
    int c = ip_compare(src, dst);
    bool src_first = c < 0 || (c == 0 && sport <= dport);
    key->a = src_first ? *src : *dst;
    key->b = src_first ? *dst : *src;
    key->port_a = src_first ? sport : dport;
    key->port_b = src_first ? dport : sport;
    key->transport = transport;
    key->tunnel = tunnel;
    *side = src_first ? TLSA_SIDE_A : TLSA_SIDE_B;
}

void tlsa_tunnel_make(tlsa_tunnel_t *tunnel, const tlsa_ip_t *outer_src, const tlsa_ip_t *outer_dst,
                      uint32_t vni, bool *src_is_b)
{
    static const tlsa_ip_t none;
    memset(tunnel, 0, sizeof *tunnel);
    const tlsa_ip_t *os = outer_src ? outer_src : &none, *od = outer_dst ? outer_dst : &none;
    bool outer_src_first = ip_compare(os, od) <= 0;
    tunnel->outer_a = outer_src_first ? *os : *od;
    tunnel->outer_b = outer_src_first ? *od : *os;
    tunnel->vni = vni;
    *src_is_b = !outer_src_first;
}

static uint32_t mix(uint32_t h, uint32_t w)
{
    h ^= w;
    h *= 0x85ebca6bu;
    return h ^ (h >> 15);
}

static uint32_t mix_ip(uint32_t h, const tlsa_ip_t *ip)
{
    unsigned words = ip->family == 6 ? 4 : ip->family == 4 ? 1 : 0;
    for (unsigned i = 0; i < words; i++) {
        uint32_t w;
        memcpy(&w, ip->addr + 4 * i, sizeof w);
        h = mix(h, w);
    }
    return mix(h, ip->family);
}

static uint32_t mix_tunnel(uint32_t h, const tlsa_tunnel_t *tunnel)
{
    h = mix(h, tunnel->vni);
    h = mix_ip(h, &tunnel->outer_a);
    return mix_ip(h, &tunnel->outer_b);
}

_Static_assert(offsetof(tlsa_conv_key_t, transport) == 2 * sizeof(tlsa_ip_t) + 2 * sizeof(uint16_t),
               "no padding before the key's transport");
/* One per conversation, kept for the whole file (bench/README.md, "Memory per conversation"). */
_Static_assert(sizeof(tlsa_conv_t) <= 176, "the conversation record stays small");

unsigned tlsa_tunnel_hash(const tlsa_tunnel_t *tunnel)
{
    return mix_tunnel(0x9e3779b9u, tunnel);
}

/* Field by field, padding left out: copies made by assignment need not carry it. */
bool tlsa_tunnel_equal(const tlsa_tunnel_t *x, const tlsa_tunnel_t *y)
{
    return x == y || (x && y && x->vni == y->vni && memcmp(&x->outer_a, &y->outer_a, sizeof x->outer_a) == 0 &&
                      memcmp(&x->outer_b, &y->outer_b, sizeof x->outer_b) == 0);
}

unsigned tlsa_conv_key_hash(const tlsa_conv_key_t *key)
{
    /* Over the words that can differ (an IPv4 address is one word): the whole
     * key cost ~200 instructions a lookup, for every TLS frame. */
    uint32_t h = 0x9e3779b9u;
    h = mix_ip(h, &key->a);
    h = mix_ip(h, &key->b);
    h = mix(h, ((uint32_t)key->port_a << 16) | key->port_b);
    h = mix(h, ((uint32_t)key->transport << 8) | (key->tunnel != NULL));
    if (key->tunnel)
        h = mix_tunnel(h, key->tunnel);
    return h;
}

bool tlsa_conv_key_equal(const tlsa_conv_key_t *x, const tlsa_conv_key_t *y)
{
    /* Addresses, ports and transport byte for byte (no padding among them), the tunnel by value. */
    return memcmp(x, y, offsetof(tlsa_conv_key_t, transport) + 1) == 0 && tlsa_tunnel_equal(x->tunnel, y->tunnel);
}

void tlsa_conv_key_copy(tlsa_conv_key_t *copy, tlsa_tunnel_t *tunnel, const tlsa_conv_key_t *key)
{
    *copy = *key;
    if (key->tunnel) {
        *tunnel = *key->tunnel;
        copy->tunnel = tunnel;
    }
}

int tlsa_conv_port_hint(const tlsa_conv_key_t *key)
{
    if (key->port_a == key->port_b)
        return -1;
    bool a_low = key->port_a < 1024, b_low = key->port_b < 1024;
    if (a_low != b_low)
        return a_low ? TLSA_SIDE_B : TLSA_SIDE_A;
    return key->port_a > key->port_b ? TLSA_SIDE_A : TLSA_SIDE_B;
}

static int client_side(const tlsa_conv_t *conv)
{
    const tlsa_tracker_t *t = &conv->tracker;
    if (t->client >= 0)
        return t->client;
    if (t->client_hint >= 0)
        return t->client_hint;
    return TLSA_SIDE_A;
}

const tlsa_ip_t *tlsa_conv_client_ip(const tlsa_conv_t *conv, uint16_t *port)
{
    bool a = client_side(conv) == TLSA_SIDE_A;
    if (port)
        *port = a ? conv->key.port_a : conv->key.port_b;
    return a ? &conv->key.a : &conv->key.b;
}

const tlsa_ip_t *tlsa_conv_server_ip(const tlsa_conv_t *conv, uint16_t *port)
{
    bool a = client_side(conv) == TLSA_SIDE_A;
    if (port)
        *port = a ? conv->key.port_b : conv->key.port_a;
    return a ? &conv->key.b : &conv->key.a;
}

const char *tlsa_ip_text(const tlsa_ip_t *ip, char *buf, unsigned size)
{
    if (size == 0)
        return buf;
    buf[0] = '\0';
    if (ip->family == 4 && size >= 16)
        tlsa_ipv4_text(buf, ip->addr);
    else if (ip->family == 4)
        inet_ntop(AF_INET, ip->addr, buf, size);
    else if (ip->family == 6)
        inet_ntop(AF_INET6, ip->addr, buf, size);
    return buf;
}

tlsa_outcome_t tlsa_conv_outcome(const tlsa_conv_t *conv)
{
    return tlsa_tracker_outcome(&conv->tracker);
}

const tlsa_ip_t *tlsa_conv_outer_src(const tlsa_conv_t *conv)
{
    const tlsa_tunnel_t *t = conv->key.tunnel;
    return t ? (conv->outer_src_b ? &t->outer_b : &t->outer_a) : NULL;
}

void tlsa_conv_hello_value(const tlsa_conv_t *conv, tlsa_hello_t *value)
{
    if (conv->hello)
        *value = *conv->hello;
    else
        memset(value, 0, sizeof *value);
}

unsigned tlsa_hello_hash(const tlsa_hello_t *h)
{
    /* Strings and lists are interned: their pointers stand for their values. */
    uintptr_t words[] = { (uintptr_t)h->sni, (uintptr_t)h->ja3, (uintptr_t)h->ja4, (uintptr_t)h->ciphers,
                          (uintptr_t)h->groups };
    uint32_t x = 0x9e3779b9u ^ ((uint32_t)h->n_ciphers << 16 | h->n_groups);
    for (unsigned i = 0; i < sizeof words / sizeof words[0]; i++)
        x = mix(mix(x, (uint32_t)words[i]), (uint32_t)((uint64_t)words[i] >> 32));
    return mix(x, (uint32_t)h->lists << 8 | h->legacy);
}

bool tlsa_hello_equal(const tlsa_hello_t *x, const tlsa_hello_t *y)
{
    return x->sni == y->sni && x->ja3 == y->ja3 && x->ja4 == y->ja4 && x->ciphers == y->ciphers &&
           x->groups == y->groups && x->n_ciphers == y->n_ciphers && x->n_groups == y->n_groups &&
           x->lists == y->lists && x->legacy == y->legacy;
}
