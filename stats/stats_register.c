/* stats_register.c — registers every listener of the "tlsalerts" tap.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "stats_register.h"

void tlsa_register_stats(void)
{
    tlsa_register_stats_tree();
    tlsa_register_report_json();
    tlsa_register_report_csv();
    tlsa_register_report_conv();
    tlsa_register_table_conversations();
    tlsa_register_report_prom();
    tlsa_register_report_timeline();
}
