/* conversation.c — conversation keys and endpoints.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "conversation.h"

#include "number_text.h"

#include <arpa/inet.h>
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
                        const tlsa_ip_t *outer_src, const tlsa_ip_t *outer_dst,
                        bool has_vni, uint32_t vni, tlsa_side_t *side)
{
    memset(key, 0, sizeof *key);
    int c = ip_compare(src, dst);
    bool src_first = c < 0 || (c == 0 && sport <= dport);
    key->a = src_first ? *src : *dst;
    key->b = src_first ? *dst : *src;
    key->port_a = src_first ? sport : dport;
    key->port_b = src_first ? dport : sport;
    key->transport = transport;
    static const tlsa_ip_t none;
    const tlsa_ip_t *os = outer_src ? outer_src : &none, *od = outer_dst ? outer_dst : &none;
    bool outer_src_first = ip_compare(os, od) <= 0;
    key->outer_a = outer_src_first ? *os : *od;
    key->outer_b = outer_src_first ? *od : *os;
    key->has_vni = has_vni;
    key->vni = has_vni ? vni : 0;
    *side = src_first ? TLSA_SIDE_A : TLSA_SIDE_B;
}

_Static_assert(sizeof(tlsa_conv_key_t) % 4 == 0, "the key hash reads whole 32-bit words");

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

unsigned tlsa_conv_key_hash(const tlsa_conv_key_t *key)
{
    /* Over the words that can differ (an IPv4 address is one word, and the
     * outer addresses are all zero without a VNI): the whole 80-byte key
     * cost ~200 instructions a lookup, for every TLS frame. */
    uint32_t h = 0x9e3779b9u;
    h = mix_ip(h, &key->a);
    h = mix_ip(h, &key->b);
    h = mix(h, ((uint32_t)key->port_a << 16) | key->port_b);
    h = mix(h, ((uint32_t)key->transport << 8) | key->has_vni);
    if (key->has_vni) {
        h = mix(h, key->vni);
        h = mix_ip(h, &key->outer_a);
        h = mix_ip(h, &key->outer_b);
    }
    return h;
}

bool tlsa_conv_key_equal(const tlsa_conv_key_t *x, const tlsa_conv_key_t *y)
{
    return memcmp(x, y, sizeof *x) == 0;
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
