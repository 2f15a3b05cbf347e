/* SPDX-License-Identifier: MIT */
/*
 * test_refusal.c — the refusal log line: fields, the alphabets of what a
 * sender chooses, limits. Usage: test-policy-refusal SAMPLE_LOG; every
 * line written here must be one of fail2ban/sample.log, so the filter's
 * test runs on what the formatter writes.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include <causeway/common.h>

#include "refusal.h"
#include "check.h"

static char sample[16384];

static void load_sample(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	CHECK(f != NULL);
	if (!f)
		return;
	n = fread(sample, 1, sizeof(sample) - 1, f);
	sample[n] = '\0';
	fclose(f);
}

/* line, as the daemon writes it, ends a line of the sample log. */
static int in_sample(const char *line)
{
	char want[CWP_REFUSAL_LINE_MAX + 32];

	snprintf(want, sizeof(want), "causeway-bridge: notice: %s\n", line);
	return strstr(sample, want) != NULL;
}

static struct cwp_addr addr(const char *text, uint16_t port)
{
	struct cwp_addr a;

	memset(&a, 0, sizeof(a));
	CHECK(cwp_addr_parse(text, &a) == 0);
	a.port = port;
	return a;
}

static void check_line(const struct cwp_refusal *r, const char *want, int sampled)
{
	char line[CWP_REFUSAL_LINE_MAX];
	int n = cwp_refusal_format(r, line, sizeof(line));

	CHECK(n == (int)strlen(want));
	CHECK(n > 0 && strcmp(line, want) == 0);
	if (n > 0 && strcmp(line, want) != 0)
		fprintf(stderr, "  got  %s\n  want %s\n", line, want);
	if (sampled)
		CHECK(in_sample(line));
}

static void test_lines(void)
{
	struct cwp_addr a = addr("203.0.113.7", 5060), b = addr("2001:db8::66", 5062);
	struct cwp_addr c = addr("192.0.2.10", 5060), d = addr("::ffff:198.51.100.23", 40000);
	struct cwp_addr e = addr("198.51.100.24", 5060), f = addr("192.0.2.30", 5060);
	struct cwp_refusal r = { CWP_REFUSED_ACL, &a, "udp", "INVITE", "0044207946000", NULL, 0 };

	check_line(&r, "refused from=203.0.113.7:5060 transport=udp reason=acl method=INVITE "
	               "to=0044207946000", 1);
	r = (struct cwp_refusal){ CWP_REFUSED_ACL, &b, "tcp", "OPTIONS", NULL, NULL, 0 };
	check_line(&r, "refused from=[2001:db8::66]:5062 transport=tcp reason=acl method=OPTIONS", 1);
	r = (struct cwp_refusal){ CWP_REFUSED_DESTINATION, &c, "udp", "INVITE", "0900123456", "0900", 0 };
	check_line(&r, "refused from=192.0.2.10:5060 transport=udp reason=destination "
	               "method=INVITE to=0900123456 prefix=0900", 1);
	r = (struct cwp_refusal){ CWP_REFUSED_BLOCKED, &d, "udp", "INVITE", NULL, NULL, 60000 };
	check_line(&r, "refused from=198.51.100.23:40000 transport=udp reason=blocked "
	               "method=INVITE block_ms=60000", 1);
	r = (struct cwp_refusal){ CWP_REFUSED_RATE, &e, "udp", "INVITE", NULL, NULL, 60000 };
	check_line(&r, "refused from=198.51.100.24:5060 transport=udp reason=rate method=INVITE", 1);
	/* what a sender chooses is cut to its alphabet: no second from=, no reason= */
	r = (struct cwp_refusal){ CWP_REFUSED_RATE, &f, "udp",
	                          "refused from=203.0.113.10:5060 transport=udp reason=acl", NULL, NULL, 0 };
	check_line(&r, "refused from=192.0.2.30:5060 transport=udp reason=rate "
	               "method=refused?from?203.0.113.10?5060?t", 1);
	r = (struct cwp_refusal){ CWP_REFUSED_DESTINATION, &f, "tls", NULL, "0900 x\n\"1\"", "09", 0 };
	check_line(&r, "refused from=192.0.2.30:5060 transport=tls reason=destination method=- "
	               "to=0900?x??1? prefix=09", 0);
	r.to = "012345678901234567890123456789012345";
	check_line(&r, "refused from=192.0.2.30:5060 transport=tls reason=destination method=- "
	               "to=01234567890123456789012345678901 prefix=09", 0);
}

static void test_refused(void)
{
	struct cwp_addr a = addr("2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff", 65535);
	struct cwp_refusal r = { CWP_REFUSED_DESTINATION, &a, "abcdefgh",
	                         "0123456789012345678901234567890123456789",
	                         "0123456789012345678901234567890123456789",
	                         "0123456789012345678901234567890123456789", 0 };
	char line[CWP_REFUSAL_LINE_MAX];
	int n = cwp_refusal_format(&r, line, sizeof(line));

	/* the longest line fits CWP_REFUSAL_LINE_MAX */
	CHECK(n > 0 && (size_t)n < sizeof(line));
	r.verdict = CWP_REFUSED_BLOCKED;
	r.block_ms = UINT64_MAX;
	CHECK(cwp_refusal_format(&r, line, sizeof(line)) > 0);
	CHECK(cwp_refusal_format(&r, line, 20) == -ENOSPC);
	r.verdict = CWP_ADMIT;
	CHECK(cwp_refusal_format(&r, line, sizeof(line)) == -EINVAL);
	r.verdict = (enum cwp_verdict)42;
	CHECK(cwp_refusal_format(&r, line, sizeof(line)) == -EINVAL);
	r.verdict = CWP_REFUSED_ACL;
	r.transport = "UDP";
	CHECK(cwp_refusal_format(&r, line, sizeof(line)) == -EINVAL);
	r.transport = "abcdefghi";
	CHECK(cwp_refusal_format(&r, line, sizeof(line)) == -EINVAL);
	r.transport = "";
	CHECK(cwp_refusal_format(&r, line, sizeof(line)) == -EINVAL);
	r.transport = "udp";
	r.from = NULL;
	CHECK(cwp_refusal_format(&r, line, sizeof(line)) == -EINVAL);
	CHECK(strcmp(cwp_verdict_name(CWP_REFUSED_CALLS), "calls") == 0);
	CHECK(cwp_verdict_name((enum cwp_verdict)7) == NULL);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s SAMPLE_LOG\n", argv[0]);
		return 2;
	}
	load_sample(argv[1]);
	test_lines();
	test_refused();
	return check_done();
}
