/* SPDX-License-Identifier: MIT */
/*
 * location.c — Q.850 locations (Q.850 §2.2.3) with their RFC 8606 wire
 * names, and the Q.850 coding standards (Q.850 §2.2.2).
 */
#include <causeway/q850.h>

#include <stddef.h>

struct location_row {
	const char *name;        /* RFC 8606 Figure 1, isup-location-value */
	const char *description; /* Q.850 §2.2.3 */
};

/* Indexed by the 4-bit location value: RFC 8606 Figure 1, Q.850 §2.2.3. */
static const struct location_row locations[16] = {
	[0] = { "U", "user" },
	[1] = { "LPN", "private network serving the local user" },
	[2] = { "LN", "public network serving the local user" },
	[3] = { "TN", "transit network" },
	[4] = { "RLN", "public network serving the remote user" },
	[5] = { "RPN", "private network serving the remote user" },
	[6] = { "LOC-6", "spare" },
	[7] = { "INTL", "international network" },
	[8] = { "LOC-8", "spare" },
	[9] = { "LOC-9", "spare" },
	[10] = { "BI", "network beyond interworking point" },
	[11] = { "LOC-11", "spare" },
	[12] = { "LOC-12", "reserved for national use" },
	[13] = { "LOC-13", "reserved for national use" },
	[14] = { "LOC-14", "reserved for national use" },
	[15] = { "LOC-15", "reserved for national use" },
};

#define LOCATION_COUNT ((int)(sizeof(locations) / sizeof(locations[0])))

/* Q.850 §2.2.2, the two coding-standard bits. */
static const char *const coding_standards[4] = {
	[CW_CODING_ITU] = "itu-t",         /* ITU-T standardized coding */
	[CW_CODING_ISO] = "iso-iec",       /* ISO/IEC standard */
	[CW_CODING_NATIONAL] = "national", /* national standard */
	[CW_CODING_NETWORK] = "network",   /* standard specific to identified location */
};

const char *cw_location_name(int location)
{
	if (location < 0 || location >= LOCATION_COUNT)
		return NULL;
	return locations[location].name;
}

const char *cw_location_description(int location)
{
	if (location < 0 || location >= LOCATION_COUNT)
		return NULL;
	return locations[location].description;
}

static unsigned char ascii_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* RFC 5234 §2.3: ABNF strings, hence the RFC 8606 names, are case-insensitive. */
static int name_matches(const char *name, size_t len, const char *wire_name)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (wire_name[i] == '\0' ||
		    ascii_lower((unsigned char)name[i]) != ascii_lower((unsigned char)wire_name[i]))
			return 0;
	}
	return wire_name[len] == '\0';
}

/* A decimal 0..15, one or two digits ("7", "07", "15"). */
static int location_from_decimal(const char *name, size_t len)
{
	int value = 0;
	size_t i;

	if (len == 0 || len > 2)
		return CW_LOCATION_UNKNOWN;
	for (i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return CW_LOCATION_UNKNOWN;
		value = value * 10 + (name[i] - '0');
	}
	return value < LOCATION_COUNT ? value : CW_LOCATION_UNKNOWN;
}

int cw_location_from_name(const char *name, size_t len, int *ret_location)
{
	int location;

	if (!name || !ret_location)
		return CW_EINVAL;
	location = location_from_decimal(name, len);
	for (int i = 0; location == CW_LOCATION_UNKNOWN && i < LOCATION_COUNT; i++) {
		if (name_matches(name, len, locations[i].name))
			location = i;
	}
	if (location == CW_LOCATION_UNKNOWN)
		return CW_ENOENT;
	*ret_location = location;
	return 0;
}

const char *cw_coding_standard_name(int coding)
{
	if (coding < 0 || coding >= (int)(sizeof(coding_standards) / sizeof(coding_standards[0])))
		return NULL;
	return coding_standards[coding];
}
