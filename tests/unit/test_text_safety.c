/* test_text_safety.c — peer-controlled text in the text tables and CSV:
 * terminal escapes shown as escapes, cells clipped, formulas neutralised. */
#include "check.h"

#include <glib.h>

#include "text_safety.h"

static const char *escaped(const char *s)
{
    static GString *out;
    if (!out)
        out = g_string_new(NULL);
    g_string_truncate(out, 0);
    tlsa_text_escape(out, s);
    return out->str;
}

static void no_control_character_survives(const char *s)
{
    const char *e = escaped(s);
    for (const unsigned char *p = (const unsigned char *)e; *p; p++)
        CHECK(*p >= 0x20 && *p != 0x7f, "control byte 0x%02x in \"%s\"", *p, e);
    /* Nor a C1 control (U+0080..U+009F, which some terminals obey). */
    for (const char *p = e; *p; p = g_utf8_next_char(p)) {
        gunichar uc = g_utf8_get_char(p);
        CHECK(!(uc >= 0x80 && uc <= 0x9f), "C1 control U+%04X in \"%s\"", (unsigned)uc, e);
    }
}

static void escapes(void)
{
    CHECK_STR(escaped("app.example.test"), "app.example.test");
    CHECK_STR(escaped("\x1b[31mred\x1b[0m"), "\\033[31mred\\033[0m");
    CHECK_STR(escaped("\x1b]0;owned\x07"), "\\033]0;owned\\a");
    CHECK_STR(escaped("a\rb\bc\td\ne\vf\fg"), "a\\rb\\bc\\td\\ne\\vf\\fg");
    CHECK_STR(escaped("\x7f"), "\\177");
    CHECK_STR(escaped("b\xc3\xbc" "cher.example"), "b\xc3\xbc" "cher.example"); /* printable UTF-8 kept */
    CHECK_STR(escaped("\xc2\x9b" "31m"), "\\u009B31m");                         /* C1 CSI */
    CHECK_STR(escaped("evil\xe2\x80\xaegnp.exe"), "evil\\u202Egnp.exe");       /* bidi override */
    CHECK_STR(escaped("bad\xff\xfe"), "bad\xef\xbf\xbd\xef\xbf\xbd");          /* invalid: U+FFFD */
    CHECK_STR(escaped("cut\xe2\x80"), "cut\xef\xbf\xbd\xef\xbf\xbd");
    CHECK_STR(escaped(""), "");
    no_control_character_survives("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\\a\r\b\x9b");
    for (int c = 1; c < 256; c++) {
        char s[2] = { (char)c, 0 };
        no_control_character_survives(s);
    }
}

static void clip(void)
{
    GString *out = g_string_new("id ");
    g_string_append(out, "0123456789");
    tlsa_text_clip(out, 3, 10);
    CHECK_STR(out->str, "id 0123456789");
    tlsa_text_clip(out, 3, 8);
    CHECK_STR(out->str, "id 01234...");
    g_string_assign(out, "\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc");  /* 4 x u-umlaut, 8 bytes */
    tlsa_text_clip(out, 0, 6);
    CHECK_STR(out->str, "\xc3\xbc...");                      /* never half a character */
    g_string_truncate(out, 0);
    for (int i = 0; i < 16000; i++)
        g_string_append_c(out, 'a');
    tlsa_text_clip(out, 0, TLSA_TEXT_CELL_MAX);
    CHECK(out->len == TLSA_TEXT_CELL_MAX, "clipped to %u bytes", (unsigned)out->len);
    g_string_free(out, TRUE);
}

static const char *csv(const char *value, bool last)
{
    static GString *out;
    if (!out)
        out = g_string_new(NULL);
    g_string_truncate(out, 0);
    tlsa_csv_field(out, value, last);
    return out->str;
}

static void csv_fields(void)
{
    CHECK_STR(csv("app.example.test", false), "app.example.test,");
    CHECK_STR(csv("10.0.0.1", true), "10.0.0.1\r\n");
    CHECK_STR(csv("", false), ",");
    CHECK_STR(csv("a,b", false), "\"a,b\",");
    CHECK_STR(csv("say \"hi\"", false), "\"say \"\"hi\"\"\",");
    /* OWASP CSV injection: a leading apostrophe, quoted. */
    CHECK_STR(csv("=HYPERLINK(\"http://x\")", false), "\"'=HYPERLINK(\"\"http://x\"\")\",");
    CHECK_STR(csv("+1+1", false), "\"'+1+1\",");
    CHECK_STR(csv("-2+3", false), "\"'-2+3\",");
    CHECK_STR(csv("@SUM(A1)", false), "\"'@SUM(A1)\",");
    CHECK_STR(csv("\tx", false), "\"'\tx\",");
    CHECK_STR(csv("\rx", true), "\"'\rx\"\r\n");
    CHECK_STR(csv("a=b", false), "a=b,");
}

int main(void)
{
    escapes();
    clip();
    csv_fields();
    return check_report("test_text_safety");
}
