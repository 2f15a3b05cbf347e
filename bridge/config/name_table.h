/* SPDX-License-Identifier: MIT */
/*
 * name_table.h — the words of the configuration file and the values they
 * stand for, one table per enumeration, read both ways: name -> value
 * when a key is parsed, value -> name when the configuration is dumped
 * (and by the cwcfg_*_name() functions of config.h).
 *
 * A table is an array of cwcfg_name ended by {NULL, 0}. A value may
 * have several names (aliases, e.g. "national" for ni2); the first entry
 * of a value is the name it is printed with.
 */
#ifndef BRIDGE_NAME_TABLE_H
#define BRIDGE_NAME_TABLE_H

#include <stddef.h>

struct cwcfg_name {
	const char *name;
	int value;
};

/* The first name of value in table, or NULL if the table has none. */
const char *cwcfg_name_of(const struct cwcfg_name *table, int value);

/*
 * cwcfg_name_value() - the value of name (compared without regard to
 * case) into *ret. Returns 0, or -ENOENT with *ret untouched.
 */
int cwcfg_name_value(const struct cwcfg_name *table, const char *name, int *ret);

/*
 * cwcfg_name_list() - every name of the table, "a, b, c", into buf
 * (truncated to len, always terminated when len > 0).
 */
void cwcfg_name_list(const struct cwcfg_name *table, char *buf, size_t len);

/* The tables of the file's enumerated words (names.c). */
extern const struct cwcfg_name cwcfg_log_level_names[];
extern const struct cwcfg_name cwcfg_switchtype_names[];
extern const struct cwcfg_name cwcfg_signalling_names[];
extern const struct cwcfg_name cwcfg_ton_names[];
extern const struct cwcfg_name cwcfg_npi_names[];
extern const struct cwcfg_name cwcfg_timer_names[];
extern const struct cwcfg_name cwcfg_direction_names[];
extern const struct cwcfg_name cwcfg_transport_names[];
extern const struct cwcfg_name cwcfg_bool_names[];
extern const struct cwcfg_name cwcfg_dtmf_names[];

#endif /* BRIDGE_NAME_TABLE_H */
