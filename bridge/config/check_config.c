/* SPDX-License-Identifier: MIT */
/*
 * check_config.c — cw-bridge-check-config FILE: what
 * `causeway-bridge --check-config FILE` will do. Exit 0 with the
 * effective configuration on stdout, or 2 with FILE:LINE: error: ... on
 * stderr (1 for a usage error).
 */
#include <stdio.h>

#include "config.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 1;
	}
	return cwcfg_config_check(argv[1], stdout, stderr);
}
