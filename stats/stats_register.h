/* stats_register.h — registers every listener of the "tlsalerts" tap:
 * the stats tree and the reports tshark prints.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_STATS_REGISTER_H
#define TLSALERTS_STATS_REGISTER_H

void tlsa_register_stats(void);

/* One per output, each in its own file. */
void tlsa_register_stats_tree(void);
void tlsa_register_report_json(void);
void tlsa_register_report_csv(void);
void tlsa_register_report_conv(void);
void tlsa_register_table_conversations(void);
void tlsa_register_report_prom(void);
void tlsa_register_report_timeline(void);

#endif
