/* SPDX-License-Identifier: MIT */
/*
 * tap.h — pcap capture of a span's D-channel, linktype 177 (LINUX_LAPD),
 * readable by tshark/Wireshark (docs/libpri.md §7).
 */
#ifndef BRIDGE_PRI_TAP_H
#define BRIDGE_PRI_TAP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/time.h>

/* cwi_tap_write_header() - the 24-byte pcap global header. 0 or -1. */
int cwi_tap_write_header(FILE *f);

/*
 * cwi_tap_write_frame() - one record: the 16-byte LINUX_LAPD pseudo-header
 * (pkttype 4 = sent by us / 0 = to us, hatype ARPHRD_LAPD, addr[0] =
 * we_network, protocol ETH_P_LAPD) then the Q.921 frame, which must be
 * given WITHOUT libpri's 2 FCS bytes. tv NULL = now. 0 or -1.
 */
int cwi_tap_write_frame(FILE *f, const struct timeval *tv, int sent, int we_network,
                       const uint8_t *frame, size_t len);

#endif
