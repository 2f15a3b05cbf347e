/* SPDX-License-Identifier: MIT */
/*
 * names.c — the enumerated words of the configuration file (README.md,
 * "Sections and keys") and the cwcfg_*_name() functions of config.h
 * over them. The parser reads these tables name -> value, the dump
 * value -> name.
 */
#include "config.h"
#include "name_table.h"

const struct cwcfg_name cwcfg_log_level_names[] = {
	{"error", CWCFG_LOG_ERROR},   {"warning", CWCFG_LOG_WARNING},
	{"notice", CWCFG_LOG_NOTICE}, {"info", CWCFG_LOG_INFO},
	{"debug", CWCFG_LOG_DEBUG},   {NULL, 0}};

/* chan_dahdi switchtype= words. */
const struct cwcfg_name cwcfg_switchtype_names[] = {
	{"euroisdn", CWCFG_SWITCH_EUROISDN},
	{"ni2", CWCFG_SWITCH_NI2},
	{"dms100", CWCFG_SWITCH_DMS100},
	{"4ess", CWCFG_SWITCH_4ESS},
	{"5ess", CWCFG_SWITCH_5ESS},
	{"qsig", CWCFG_SWITCH_QSIG},
	{"national", CWCFG_SWITCH_NI2}, /* chan_dahdi's word for NI2; after ni2 */
	{NULL, 0}};

const struct cwcfg_name cwcfg_signalling_names[] = {
	{"pri_cpe", CWCFG_PRI_CPE}, {"pri_net", CWCFG_PRI_NET}, {NULL, 0}};

/* Q.931 §4.5.8 type of number. */
const struct cwcfg_name cwcfg_ton_names[] = {
	{"unknown", CWCFG_TON_UNKNOWN},
	{"international", CWCFG_TON_INTERNATIONAL},
	{"national", CWCFG_TON_NATIONAL},
	{"network-specific", CWCFG_TON_NETWORK_SPECIFIC},
	{"subscriber", CWCFG_TON_SUBSCRIBER},
	{"abbreviated", CWCFG_TON_ABBREVIATED},
	{NULL, 0}};

/* Q.931 §4.5.8 numbering plan identification. */
const struct cwcfg_name cwcfg_npi_names[] = {
	{"unknown", CWCFG_NPI_UNKNOWN},   {"isdn", CWCFG_NPI_ISDN},
	{"data", CWCFG_NPI_DATA},         {"telex", CWCFG_NPI_TELEX},
	{"national", CWCFG_NPI_NATIONAL}, {"private", CWCFG_NPI_PRIVATE},
	{NULL, 0}};

/* Span timers: libpri names (pri_timer2idx), lower case in the file. */
const struct cwcfg_name cwcfg_timer_names[] = {
	{"t200", CWCFG_T200}, {"t203", CWCFG_T203}, {"t303", CWCFG_T303},
	{"t305", CWCFG_T305}, {"t308", CWCFG_T308}, {"t309", CWCFG_T309},
	{"t310", CWCFG_T310}, {"t313", CWCFG_T313}, {"t316", CWCFG_T316},
	{"n200", CWCFG_N200}, {"k", CWCFG_K},       {"t301", CWCFG_T301},
	{"t302", CWCFG_T302}, {NULL, 0}};

/* Printed as a comment above each [route NAME] of the dump. */
const struct cwcfg_name cwcfg_direction_names[] = {
	{"isdn-to-sip", CWCFG_ISDN_TO_SIP}, {"sip-to-isdn", CWCFG_SIP_TO_ISDN}, {NULL, 0}};

/* [sip] transport list words and the target URI's ;transport= (RFC 3261 §19.1.1). */
const struct cwcfg_name cwcfg_transport_names[] = {
	{"udp", CWCFG_TRANSPORT_UDP}, {"tcp", CWCFG_TRANSPORT_TCP},
	{"tls", CWCFG_TRANSPORT_TLS}, {NULL, 0}};

/* early_release, trust_identity: printed as yes or no. */
const struct cwcfg_name cwcfg_bool_names[] = {
	{"yes", 1}, {"no", 0}, {"true", 1}, {"false", 0},
	{"on", 1},  {"off", 0}, {"1", 1},   {"0", 0},
	{NULL, 0}};

/* [sip] dtmf: telephone-events (RFC 4733 §2.1) or the audio itself. */
const struct cwcfg_name cwcfg_dtmf_names[] = {
	{"rfc4733", CWCFG_DTMF_RFC4733}, {"inband", CWCFG_DTMF_INBAND}, {NULL, 0}};

const char *cwcfg_switchtype_name(enum cwcfg_switchtype switchtype)
{
	return cwcfg_name_of(cwcfg_switchtype_names, (int)switchtype);
}

const char *cwcfg_signalling_name(enum cwcfg_signalling signalling)
{
	return cwcfg_name_of(cwcfg_signalling_names, (int)signalling);
}

const char *cwcfg_log_level_name(enum cwcfg_log_level level)
{
	return cwcfg_name_of(cwcfg_log_level_names, (int)level);
}

const char *cwcfg_ton_name(enum cwcfg_ton ton)
{
	return cwcfg_name_of(cwcfg_ton_names, (int)ton);
}

const char *cwcfg_npi_name(enum cwcfg_npi npi)
{
	return cwcfg_name_of(cwcfg_npi_names, (int)npi);
}

const char *cwcfg_timer_name(enum cwcfg_timer timer)
{
	return cwcfg_name_of(cwcfg_timer_names, (int)timer);
}

const char *cwcfg_direction_name(enum cwcfg_direction dir)
{
	return cwcfg_name_of(cwcfg_direction_names, (int)dir);
}

const char *cwcfg_dtmf_name(enum cwcfg_dtmf dtmf)
{
	return cwcfg_name_of(cwcfg_dtmf_names, (int)dtmf);
}
