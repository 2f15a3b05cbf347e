/* SPDX-License-Identifier: MIT */
/*
 * names.c — the enumerated words of the configuration file (README.md,
 * "Sections and keys") and the cw_bridge_*_name() functions of config.h
 * over them. The parser reads these tables name -> value, the dump
 * value -> name.
 */
#include "config.h"
#include "name_table.h"

const struct cw_bridge_name cw_bridge_log_level_names[] = {
	{"error", CW_BRIDGE_LOG_ERROR},   {"warning", CW_BRIDGE_LOG_WARNING},
	{"notice", CW_BRIDGE_LOG_NOTICE}, {"info", CW_BRIDGE_LOG_INFO},
	{"debug", CW_BRIDGE_LOG_DEBUG},   {NULL, 0}};

/* chan_dahdi switchtype= words. */
const struct cw_bridge_name cw_bridge_switchtype_names[] = {
	{"euroisdn", CW_BRIDGE_SWITCH_EUROISDN},
	{"ni2", CW_BRIDGE_SWITCH_NI2},
	{"dms100", CW_BRIDGE_SWITCH_DMS100},
	{"4ess", CW_BRIDGE_SWITCH_4ESS},
	{"5ess", CW_BRIDGE_SWITCH_5ESS},
	{"qsig", CW_BRIDGE_SWITCH_QSIG},
	{"national", CW_BRIDGE_SWITCH_NI2}, /* chan_dahdi's word for NI2; after ni2 */
	{NULL, 0}};

const struct cw_bridge_name cw_bridge_signalling_names[] = {
	{"pri_cpe", CW_BRIDGE_PRI_CPE}, {"pri_net", CW_BRIDGE_PRI_NET}, {NULL, 0}};

/* Q.931 §4.5.8 type of number. */
const struct cw_bridge_name cw_bridge_ton_names[] = {
	{"unknown", CW_BRIDGE_TON_UNKNOWN},
	{"international", CW_BRIDGE_TON_INTERNATIONAL},
	{"national", CW_BRIDGE_TON_NATIONAL},
	{"network-specific", CW_BRIDGE_TON_NETWORK_SPECIFIC},
	{"subscriber", CW_BRIDGE_TON_SUBSCRIBER},
	{"abbreviated", CW_BRIDGE_TON_ABBREVIATED},
	{NULL, 0}};

/* Q.931 §4.5.8 numbering plan identification. */
const struct cw_bridge_name cw_bridge_npi_names[] = {
	{"unknown", CW_BRIDGE_NPI_UNKNOWN},   {"isdn", CW_BRIDGE_NPI_ISDN},
	{"data", CW_BRIDGE_NPI_DATA},         {"telex", CW_BRIDGE_NPI_TELEX},
	{"national", CW_BRIDGE_NPI_NATIONAL}, {"private", CW_BRIDGE_NPI_PRIVATE},
	{NULL, 0}};

/* Span timers: libpri names (pri_timer2idx), lower case in the file. */
const struct cw_bridge_name cw_bridge_timer_names[] = {
	{"t200", CW_BRIDGE_T200}, {"t203", CW_BRIDGE_T203}, {"t303", CW_BRIDGE_T303},
	{"t305", CW_BRIDGE_T305}, {"t308", CW_BRIDGE_T308}, {"t309", CW_BRIDGE_T309},
	{"t310", CW_BRIDGE_T310}, {"t313", CW_BRIDGE_T313}, {"t316", CW_BRIDGE_T316},
	{"n200", CW_BRIDGE_N200}, {"k", CW_BRIDGE_K},       {"t301", CW_BRIDGE_T301},
	{NULL, 0}};

/* Printed as a comment above each [route NAME] of the dump. */
const struct cw_bridge_name cw_bridge_direction_names[] = {
	{"isdn-to-sip", CW_BRIDGE_ISDN_TO_SIP}, {"sip-to-isdn", CW_BRIDGE_SIP_TO_ISDN}, {NULL, 0}};

/* [sip] transport list words and the target URI's ;transport= (RFC 3261 §19.1.1). */
const struct cw_bridge_name cw_bridge_transport_names[] = {
	{"udp", CW_BRIDGE_TRANSPORT_UDP}, {"tcp", CW_BRIDGE_TRANSPORT_TCP},
	{"tls", CW_BRIDGE_TRANSPORT_TLS}, {NULL, 0}};

/* early_release, trust_identity: printed as yes or no. */
const struct cw_bridge_name cw_bridge_bool_names[] = {
	{"yes", 1}, {"no", 0}, {"true", 1}, {"false", 0},
	{"on", 1},  {"off", 0}, {"1", 1},   {"0", 0},
	{NULL, 0}};

const char *cw_bridge_switchtype_name(enum cw_bridge_switchtype switchtype)
{
	return cw_bridge_name_of(cw_bridge_switchtype_names, (int)switchtype);
}

const char *cw_bridge_signalling_name(enum cw_bridge_signalling signalling)
{
	return cw_bridge_name_of(cw_bridge_signalling_names, (int)signalling);
}

const char *cw_bridge_log_level_name(enum cw_bridge_log_level level)
{
	return cw_bridge_name_of(cw_bridge_log_level_names, (int)level);
}

const char *cw_bridge_ton_name(enum cw_bridge_ton ton)
{
	return cw_bridge_name_of(cw_bridge_ton_names, (int)ton);
}

const char *cw_bridge_npi_name(enum cw_bridge_npi npi)
{
	return cw_bridge_name_of(cw_bridge_npi_names, (int)npi);
}

const char *cw_bridge_timer_name(enum cw_bridge_timer timer)
{
	return cw_bridge_name_of(cw_bridge_timer_names, (int)timer);
}

const char *cw_bridge_direction_name(enum cw_bridge_direction dir)
{
	return cw_bridge_name_of(cw_bridge_direction_names, (int)dir);
}
