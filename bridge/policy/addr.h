/* SPDX-License-Identifier: MIT */
/*
 * bridge/policy/addr.h — source addresses and address blocks of the
 * admission policy: `ADDR[/LEN], ...` lists of IPv4 and IPv6 blocks and
 * the test whether an address lies in one.
 *
 * Pure: no I/O, no allocation, no global state. Lists live in arrays the
 * caller owns (a config struct can embed one), so the same calls serve a
 * config parser that reports FILE:LINE errors and a daemon that matches
 * each packet's source.
 *
 * An IPv4-mapped IPv6 address (::ffff:a.b.c.d, RFC 4291 §2.5.5.2) is the
 * IPv4 address a.b.c.d everywhere here: parsed, converted from a
 * sockaddr or written in a block, it becomes AF_INET, so a dual-stack
 * socket's peer ::ffff:192.0.2.1 matches the block 192.0.2.0/24.
 */
#ifndef CWP_ADDR_H
#define CWP_ADDR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Longest text of an address with a port: "[" IPv6 "]:65535". */
#define CWP_ADDR_TEXT_MAX 56
/* Longest error message of the parsers, NUL included. */
#define CWP_ERROR_MAX 160

/* An IPv4 or IPv6 address, optionally with a port. */
struct cwp_addr {
	uint8_t family;     /* AF_INET or AF_INET6 */
	uint8_t bytes[16];  /* network order; IPv4 in bytes[0..3], the rest zero */
	uint16_t port;      /* host order; 0 = no port */
};

/* An address block ADDR/LEN: the bits of net past len are zero. */
struct cwp_block {
	struct cwp_addr net; /* port 0 */
	uint8_t len;         /* 0..32 (AF_INET) or 0..128 (AF_INET6) */
};

/*
 * cwp_addr_parse() - one address in RFC 4291 §2.2 text (IPv6, "::" and the
 * dotted IPv4 tail included) or dotted-quad IPv4; no brackets, port, zone
 * or name. ::ffff:a.b.c.d becomes AF_INET. *ret is written on success only.
 * Returns 0, CWCOM_ESYNTAX, -EINVAL (NULL).
 */
int cwp_addr_parse(const char *text, struct cwp_addr *ret);

/*
 * cwp_addr_from_sockaddr() - the address and port of an AF_INET or
 * AF_INET6 sockaddr (a recvfrom() peer). Returns 0, -EINVAL (NULL or
 * another family).
 */
int cwp_addr_from_sockaddr(const struct sockaddr_storage *ss, struct cwp_addr *ret);

/*
 * cwp_addr_format() - "192.0.2.1", "2001:db8::1"; with a port (a->port
 * != 0) "192.0.2.1:5060", "[2001:db8::1]:5060" (RFC 3986 §3.2.2).
 * Returns the length written (buf NUL-terminated), -ENOSPC (len too
 * small; CWP_ADDR_TEXT_MAX always suffices), -EINVAL.
 */
int cwp_addr_format(const struct cwp_addr *a, char *buf, size_t len);

/*
 * cwp_addr_normalize() - an IPv4-mapped AF_INET6 address becomes the
 * AF_INET one (RFC 4291 §2.5.5.2), and an AF_INET address's bytes past the
 * fourth are zeroed: what every call here returns, for a cwp_addr the
 * caller filled itself.
 */
void cwp_addr_normalize(struct cwp_addr *a);

/* cwp_addr_equal() - same family and bytes; with_port: same port too. */
int cwp_addr_equal(const struct cwp_addr *a, const struct cwp_addr *b, int with_port);

/*
 * cwp_block_parse() - "ADDR" (a host: /32 or /128) or "ADDR/LEN". LEN is
 * decimal, at most 32 for IPv4 and 128 for IPv6; ::ffff:a.b.c.d/LEN with
 * LEN >= 96 is the IPv4 block a.b.c.d/(LEN-96). Bits set past LEN are
 * refused (192.0.2.1/24 names a host, not a block: write 192.0.2.0/24).
 * On failure a one-line reason goes to err (NUL-terminated, truncated to
 * errlen; err may be NULL). Returns 0, CWCOM_ESYNTAX, -ERANGE (LEN),
 * -EINVAL.
 */
int cwp_block_parse(const char *text, struct cwp_block *ret, char *err, size_t errlen);

/*
 * cwp_block_list_parse() - a list "BLOCK, BLOCK ..." (separated by commas
 * and/or blanks) appended to blocks[*n_inout..cap-1]. At least one block;
 * a block given twice is refused. On failure *n_inout is unchanged and err
 * names the item. Returns 0, CWCOM_ESYNTAX, -ERANGE, CWCOM_EDUPLICATE,
 * CWCOM_ELIMIT (more than cap), -EINVAL.
 */
int cwp_block_list_parse(const char *text, struct cwp_block *blocks, size_t cap,
                         size_t *n_inout, char *err, size_t errlen);

/* cwp_block_contains() - a (normalised) lies in b; its port is ignored. */
int cwp_block_contains(const struct cwp_block *b, const struct cwp_addr *a);

/*
 * cwp_block_list_match() - the index of the most specific (longest) block
 * of blocks[0..n-1] that contains a (normalised here first), or -1 when
 * none does (or a is NULL).
 */
long cwp_block_list_match(const struct cwp_block *blocks, size_t n, const struct cwp_addr *a);

/* The same for a sockaddr (a recvfrom() peer) and for text (cwp_addr_parse()); -1 when
 * the address is not one. */
long cwp_block_list_match_sockaddr(const struct cwp_block *blocks, size_t n,
                                   const struct sockaddr_storage *ss);
long cwp_block_list_match_text(const struct cwp_block *blocks, size_t n, const char *text);

/* cwp_block_format() - "192.0.2.0/24"; as cwp_addr_format(). */
int cwp_block_format(const struct cwp_block *b, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
