/* alert_catalog.h — the IANA "TLS Alerts" registry: names, defining RFCs, levels.
 *
 * Pure C, no Wireshark types: unit tested on its own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TLSALERTS_ALERT_CATALOG_H
#define TLSALERTS_ALERT_CATALOG_H

#include <stdbool.h>
#include <stdint.h>

#define TLSA_ALERT_LEVEL_WARNING 1
#define TLSA_ALERT_LEVEL_FATAL   2

/* RFC snake_case name of an assigned description code ("unknown_ca"),
 * or NULL when IANA has not assigned the code. */
const char *tlsa_alert_name(unsigned code);

/* The document that defines the code ("RFC 8446"), or NULL when unassigned. */
const char *tlsa_alert_reference(unsigned code);

/* Display name: the RFC name, or "unknown(N)" for an unassigned code.
 * Returns a string with static storage, built once. */
const char *tlsa_alert_display_name(unsigned code);

/* Display label with the code beside the name: "unknown_ca (48)"; an unassigned
 * code reads "unknown(200)" (the number is already there). Static storage. */
const char *tlsa_alert_label(unsigned code);

/* "warning", "fatal", or "unknown(N)" for any other level. Static storage. */
const char *tlsa_level_name(unsigned level);

/* true when the code is assigned by IANA. */
bool tlsa_alert_is_assigned(unsigned code);

#endif
