/* prom_format.c — the Prometheus text exposition format.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "prom_format.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

typedef struct {
    char *labels;   /* "" or "{a=\"x\",b=\"y\"}", the sort and identity key */
    double value;
} sample_t;

struct tlsa_prom_family {
    char *name;
    char *help;
    tlsa_prom_type_t type;
    GHashTable *samples;  /* labels -> sample_t (owns both) */
};

struct tlsa_prom_doc {
    GHashTable *families; /* name -> tlsa_prom_family_t */
};

static void family_free(gpointer p)
{
    tlsa_prom_family_t *f = (tlsa_prom_family_t *)p;
    g_hash_table_destroy(f->samples);
    g_free(f->name);
    g_free(f->help);
    g_free(f);
}

static void sample_free(gpointer p)
{
    sample_t *s = (sample_t *)p;
    g_free(s->labels);
    g_free(s);
}

tlsa_prom_doc_t *tlsa_prom_doc_new(void)
{
    tlsa_prom_doc_t *doc = g_new0(tlsa_prom_doc_t, 1);
    doc->families = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, family_free);
    return doc;
}

void tlsa_prom_doc_free(tlsa_prom_doc_t *doc)
{
    if (!doc)
        return;
    g_hash_table_destroy(doc->families);
    g_free(doc);
}

static bool name_char(char c, bool first, bool colon)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':') ||
           (!first && c >= '0' && c <= '9');
}

bool tlsa_prom_valid_name(const char *name)
{
    if (!name || !*name)
        return false;
    for (const char *p = name; *p; p++)
        if (!name_char(*p, p == name, true))
            return false;
    return true;
}

bool tlsa_prom_valid_label_name(const char *name)
{
    if (!name || !*name || strncmp(name, "__", 2) == 0)
        return false;
    for (const char *p = name; *p; p++)
        if (!name_char(*p, p == name, false))
            return false;
    return true;
}

tlsa_prom_family_t *tlsa_prom_family(tlsa_prom_doc_t *doc, const char *name, tlsa_prom_type_t type,
                                     const char *help)
{
    g_return_val_if_fail(tlsa_prom_valid_name(name), NULL);
    tlsa_prom_family_t *f = (tlsa_prom_family_t *)g_hash_table_lookup(doc->families, name);
    if (f)
        return f;
    f = g_new0(tlsa_prom_family_t, 1);
    f->name = g_strdup(name);
    f->help = g_strdup(help ? help : "");
    f->type = type;
    f->samples = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, sample_free);
    g_hash_table_insert(doc->families, f->name, f);
    return f;
}

void tlsa_prom_escape_label_value(GString *out, const char *value)
{
    for (const char *p = value; p && *p; p++) {
        switch (*p) {
        case '\\': g_string_append(out, "\\\\"); break;
        case '"':  g_string_append(out, "\\\""); break;
        case '\n': g_string_append(out, "\\n"); break;
        default:   g_string_append_c(out, *p); break;
        }
    }
}

void tlsa_prom_escape_help(GString *out, const char *text)
{
    for (const char *p = text; p && *p; p++) {
        switch (*p) {
        case '\\': g_string_append(out, "\\\\"); break;
        case '\n': g_string_append(out, "\\n"); break;
        default:   g_string_append_c(out, *p); break;
        }
    }
}

void tlsa_prom_format_value(GString *out, double value)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    if (isnan(value)) {
        g_string_append(out, "NaN");
    } else if (isinf(value)) {
        g_string_append(out, value > 0 ? "+Inf" : "-Inf");
    } else if (value == floor(value) && fabs(value) < 9007199254740992.0) { /* 2^53: exact */
        g_string_append(out, g_ascii_formatd(buf, sizeof buf, "%.0f", value));
    } else {
        g_ascii_formatd(buf, sizeof buf, "%.15g", value);
        if (g_ascii_strtod(buf, NULL) != value)
            g_ascii_formatd(buf, sizeof buf, "%.17g", value);
        g_string_append(out, buf);
    }
}

void tlsa_prom_add_labels(tlsa_prom_family_t *family, double value, const char *const *pairs, unsigned n_pairs)
{
    if (!family)
        return;
    GString *key = g_string_new(NULL);
    for (unsigned i = 0; i < 2 * n_pairs; i += 2) {
        const char *name = pairs[i], *v = pairs[i + 1];
        if (!v || !*v || !tlsa_prom_valid_label_name(name)) /* invalid names: a bug, left out */
            continue;
        g_string_append_c(key, key->len ? ',' : '{');
        g_string_append(key, name);
        g_string_append(key, "=\"");
        tlsa_prom_escape_label_value(key, v);
        g_string_append_c(key, '"');
    }
    if (key->len)
        g_string_append_c(key, '}');
    sample_t *s = (sample_t *)g_hash_table_lookup(family->samples, key->str);
    if (s) {
        g_string_free(key, TRUE);
    } else {
        s = g_new0(sample_t, 1);
        s->labels = g_string_free(key, FALSE);
        g_hash_table_insert(family->samples, s->labels, s);
    }
    s->value += value;
}

void tlsa_prom_add(tlsa_prom_family_t *family, double value, ...)
{
    const char *pairs[32];
    unsigned n = 0;
    va_list ap;
    va_start(ap, value);
    for (const char *name; (name = va_arg(ap, const char *)) != NULL;) {
        const char *v = va_arg(ap, const char *);
        if (n < G_N_ELEMENTS(pairs) / 2) {
            pairs[2 * n] = name;
            pairs[2 * n + 1] = v;
            n++;
        }
    }
    va_end(ap);
    tlsa_prom_add_labels(family, value, pairs, n);
}

static gint by_string(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static GPtrArray *sorted_keys(GHashTable *table)
{
    GPtrArray *keys = g_ptr_array_sized_new(g_hash_table_size(table));
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, table);
    while (g_hash_table_iter_next(&it, &key, NULL))
        g_ptr_array_add(keys, key);
    g_ptr_array_sort(keys, by_string);
    return keys;
}

void tlsa_prom_render(const tlsa_prom_doc_t *doc, GString *out)
{
    GPtrArray *names = sorted_keys(doc->families);
    for (guint i = 0; i < names->len; i++) {
        const tlsa_prom_family_t *f = (const tlsa_prom_family_t *)
            g_hash_table_lookup(doc->families, g_ptr_array_index(names, i));
        g_string_append_printf(out, "# HELP %s ", f->name);
        tlsa_prom_escape_help(out, f->help);
        g_string_append_printf(out, "\n# TYPE %s %s\n", f->name, f->type == TLSA_PROM_COUNTER ? "counter" : "gauge");
        GPtrArray *labels = sorted_keys(f->samples);
        for (guint j = 0; j < labels->len; j++) {
            const sample_t *s = (const sample_t *)g_hash_table_lookup(f->samples, g_ptr_array_index(labels, j));
            g_string_append(out, f->name);
            g_string_append(out, s->labels);
            g_string_append_c(out, ' ');
            tlsa_prom_format_value(out, s->value);
            g_string_append_c(out, '\n');
        }
        g_ptr_array_free(labels, TRUE);
    }
    g_ptr_array_free(names, TRUE);
}
