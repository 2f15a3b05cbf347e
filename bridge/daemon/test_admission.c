/* SPDX-License-Identifier: MIT */
/*
 * test_admission.c — bridge-daemon-admission: the decision for each request
 * (admission.c) on a clock the test moves: allow and deny by default, deny
 * prefixes and their causes, digest authentication (challenge, the right
 * and a wrong password, a stale nonce), flood limits and the block logged
 * once, the call counts given back; a reload (allow, users, limits; the
 * verifier and the sources' calls kept, a bad users file refused).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "../../tests/unit/check.h"
#include "admission.h"
#include "auth.h"
#include "config.h"

#define SPAN "[span 1]\nswitchtype = euroisdn\nsignalling = pri_cpe\ndchannel = dahdi:16\n" \
             "bchannels = 1-15,17-31\ngroup = g\n"

static struct cwb_admission_request invite(const char *src, const char *user)
{
	static char uri[96];
	struct cwb_admission_request r;

	memset(&r, 0, sizeof(r));
	snprintf(uri, sizeof(uri), "sip:%s@192.0.2.1", user);
	r.method = "INVITE";
	r.request_uri = uri;
	r.ruri_user = user;
	r.src_ip = src;
	r.src_port = 5060;
	r.transport = "udp";
	return r;
}

/* The config of text and its admission; 0, or -1 (checked, both freed). */
static int start(const char *text, struct cwcfg_config **cfg, struct cwb_admission **a)
{
	char err[256];
	cw_diag d;

	memset(&d, 0, sizeof(d));
	*cfg = NULL;
	*a = NULL;
	if (!CHECK_INT(cwcfg_config_load_string(text, "t.conf", cfg, &d), 0)) {
		fprintf(stderr, "  %s\n", d.message);
		return -1;
	}
	if (!CHECK_INT(cwb_admission_new(a, *cfg, err, sizeof(err)), 0)) {
		fprintf(stderr, "  %s\n", err);
		cwcfg_config_free(*cfg);
		return -1;
	}
	return 0;
}

static int reason_cause(const struct cwb_admission_answer *ans)
{
	const char *c = strstr(ans->header_value, "cause=");

	return strcmp(ans->header_name, "Reason") == 0 && c ? atoi(c + 6) : -1;
}

static void test_sources_and_destinations(void)
{
	static const char text[] = SPAN "[route out]\nmatch = 0\ngroup = g\nallow = 127.0.0.1\n"
	                           "deny = 0900, 00\ndeny_cause = 57\n"
	                           "[route closed]\nmatch = 1\ngroup = g\n";
	struct cwcfg_config *cfg;
	struct cwb_admission *a;
	struct cwb_admission_request r;
	struct cwb_admission_answer ans;

	if (start(text, &cfg, &a) < 0)
		return;
	r = invite("127.0.0.1", "0301234");
	CHECK_INT(cwb_admission_check(a, &r, 1000, &ans), 0);
	CHECK_INT(ans.status, 0);
	CHECK_INT(ans.new_call, 1);
	CHECK_STR(ans.log_line, "");
	cwb_admission_call_end(a, "127.0.0.1", 1001);

	r = invite("127.0.0.2", "0301234");
	CHECK_INT(cwb_admission_check(a, &r, 1002, &ans), 0);
	CHECK_INT(ans.status, 403);
	CHECK_INT(reason_cause(&ans), 21);
	CHECK_INT(ans.new_call, 0);
	CHECK_STR(ans.log_line, "refused from=127.0.0.2:5060 transport=udp reason=acl method=INVITE "
	                        "to=0301234");

	/* neither allow nor auth: nobody, 127.0.0.1 neither */
	r = invite("127.0.0.1", "1234");
	CHECK_INT(cwb_admission_check(a, &r, 1003, &ans), 0);
	CHECK_INT(ans.status, 403);
	CHECK_INT(reason_cause(&ans), 21);

	/* deny: the longest prefix, the route's cause */
	r = invite("::ffff:127.0.0.1", "0900123");
	CHECK_INT(cwb_admission_check(a, &r, 1004, &ans), 0);
	CHECK_INT(ans.status, 403);
	CHECK_INT(reason_cause(&ans), 57);
	CHECK_STR(ans.log_line, "refused from=127.0.0.1:5060 transport=udp reason=destination "
	                        "method=INVITE to=0900123 prefix=0900");

	/* a source that is not an address: a new call is refused, not waved through */
	r = invite("not-an-address", "0301234");
	CHECK_INT(cwb_admission_check(a, &r, 1004, &ans), 0);
	CHECK_INT(ans.status, 403);
	CHECK_INT(reason_cause(&ans), 21);
	CHECK_INT(ans.new_call, 0);
	r.method = "OPTIONS";
	CHECK_INT(cwb_admission_check(a, &r, 1004, &ans), 0);
	CHECK_INT(ans.status, 0);

	/* requests other than a new INVITE meet only the limits */
	r = invite("127.0.0.2", "0301234");
	r.method = "OPTIONS";
	CHECK_INT(cwb_admission_check(a, &r, 1005, &ans), 0);
	CHECK_INT(ans.status, 0);
	r.method = "INVITE";
	r.in_dialog = 1;
	CHECK_INT(cwb_admission_check(a, &r, 1006, &ans), 0);
	CHECK_INT(ans.status, 0);
	CHECK_INT(ans.new_call, 0);

	cwb_admission_free(a);
	cwcfg_config_free(cfg);
}

/* Answer the 401's challenge as a UAC would, with password pw and count nc. */
static int credentials(const char *www, const char *uri, const char *pw, uint32_t nc, char *buf,
                       size_t len)
{
	struct cwa_challenge ch[2];
	struct cwa_uac_input in;
	size_t n = 0;

	if (cwa_challenges_parse(www, strlen(www), ch, 2, &n) < 0 || n != 1)
		return -1;
	memset(&in, 0, sizeof(in));
	in.username = "bob";
	in.password = pw;
	in.method = "INVITE";
	in.uri = uri;
	in.cnonce = "0a4f113b";
	in.nc = nc;
	return cwa_uac_authorization(&ch[0], &in, buf, len, NULL);
}

/* A users file with bob:s3cret at path (a mkstemp(3) template) and the config of a route
 * with it as auth (realm gw.test, then the lines of more) with its admission; 0, or -1
 * (checked; nothing left behind). */
static int start_auth(char *path, const char *more, struct cwcfg_config **cfg,
                      struct cwb_admission **a)
{
	char text[512];
	int fd = mkstemp(path);

	if (!CHECK(fd >= 0))
		return -1;
	CHECK(write(fd, "bob:s3cret\n", 11) == 11);
	close(fd);
	snprintf(text, sizeof(text), SPAN "[route out]\nmatch = 0\ngroup = g\nauth = %s\n"
	                             "realm = gw.test\n%s", path, more);
	if (start(text, cfg, a) < 0) {
		unlink(path);
		return -1;
	}
	return 0;
}

static void test_digest(void)
{
	char path[] = "/tmp/cw-test-admission-XXXXXX", www[512], cred[1024];
	struct cwcfg_config *cfg;
	struct cwb_admission *a;
	struct cwb_admission_request r;
	struct cwb_admission_answer ans;

	if (start_auth(path, "", &cfg, &a) < 0)
		return;
	/* no credentials: 401 with a challenge, nothing logged, no call counted */
	r = invite("198.51.100.7", "0301234");
	CHECK_INT(cwb_admission_check(a, &r, 1000, &ans), 0);
	CHECK_INT(ans.status, 401);
	CHECK_STR(ans.header_name, "WWW-Authenticate");
	CHECK(strstr(ans.header_value, "realm=\"gw.test\"") != NULL);
	CHECK(strstr(ans.header_value, "stale") == NULL);
	CHECK_STR(ans.log_line, "");
	snprintf(www, sizeof(www), "%s", ans.header_value);

	/* the right password */
	CHECK_INT(credentials(www, r.request_uri, "s3cret", 1, cred, sizeof(cred)), 0);
	r.authorization = cred;
	CHECK_INT(cwb_admission_check(a, &r, 1100, &ans), 0);
	CHECK_INT(ans.status, 0);
	CHECK_INT(ans.new_call, 1);
	cwb_admission_call_end(a, "198.51.100.7", 1200);

	/* the same nonce once it is too old: 401 with stale=true (RFC 3261 §22.4) */
	CHECK_INT(credentials(www, r.request_uri, "s3cret", 2, cred, sizeof(cred)), 0);
	CHECK_INT(cwb_admission_check(a, &r, 1000 + 300001, &ans), 0);
	CHECK_INT(ans.status, 401);
	CHECK(strstr(ans.header_value, "stale=true") != NULL);

	/* a wrong password: 403 + cause 21, logged (fail2ban bans on it) */
	CHECK_INT(cwb_admission_check(a, &(struct cwb_admission_request){ .method = "INVITE",
	                                 .request_uri = r.request_uri, .ruri_user = "0301234",
	                                 .src_ip = "198.51.100.7", .src_port = 5062,
	                                 .transport = "tcp" },
	                              400000, &ans), 0);
	CHECK_INT(ans.status, 401);
	CHECK_INT(credentials(ans.header_value, r.request_uri, "guess", 1, cred, sizeof(cred)), 0);
	CHECK_INT(cwb_admission_check(a, &r, 400100, &ans), 0);
	CHECK_INT(ans.status, 403);
	CHECK_INT(reason_cause(&ans), 21);
	CHECK(strstr(ans.log_line, "refused from=198.51.100.7:5060 transport=udp reason=acl") ==
	      ans.log_line);

	cwb_admission_free(a);
	cwcfg_config_free(cfg);
	unlink(path);
}

static void test_limits(void)
{
	static const char text[] = "[sip]\nsource_rate = 5\nsource_burst = 10\nblock_factor = 4\n"
	                           "block_seconds = 30\nsource_max_calls = 2\n"
	                           SPAN "[route out]\nmatch = 0\ngroup = g\nallow = 10.0.0.0/8\n";
	struct cwcfg_config *cfg;
	struct cwb_admission *a;
	struct cwb_admission_request r;
	struct cwb_admission_answer ans;
	unsigned admitted = 0, rate = 0, blocked = 0, blocked_logged = 0, calls = 0;

	if (start(text, &cfg, &a) < 0)
		return;
	/* two calls at once per source, the third waits */
	r = invite("10.1.1.1", "0301234");
	for (int i = 0; i < 3; i++) {
		CHECK_INT(cwb_admission_check(a, &r, 1000, &ans), 0);
		calls += ans.new_call;
	}
	CHECK_INT(calls, 2);
	CHECK_INT(ans.status, 503);
	CHECK_STR(ans.header_name, "Retry-After");
	CHECK_STR(ans.header_value, "30");
	CHECK(strstr(ans.log_line, "reason=calls") != NULL);
	cwb_admission_call_end(a, "10.1.1.1", 1001);
	cwb_admission_call_end(a, "10.1.1.1", 1001);

	/* a flood from another source within one second */
	r = invite("10.2.2.2", "0301234");
	for (int i = 0; i < 100; i++) {
		CHECK_INT(cwb_admission_check(a, &r, 2000 + (uint64_t)i, &ans), 0);
		if (ans.status == 0) {
			admitted++;
			cwb_admission_call_end(a, "10.2.2.2", 2000 + (uint64_t)i);
		} else if (ans.status == 503) {
			rate++;
			CHECK(strstr(ans.log_line, "reason=rate") != NULL);
		} else if (ans.status < 0) {
			blocked++;
			blocked_logged += ans.log_line[0] != '\0';
			if (ans.log_line[0])
				CHECK(strstr(ans.log_line, "reason=blocked method=INVITE to=0301234 "
				                           "block_ms=30000") != NULL);
		}
	}
	CHECK_INT(admitted, 10);        /* the burst */
	CHECK_INT(rate, 10);            /* up to block_factor * source_rate = 20 in the second */
	CHECK_INT(blocked, 80);         /* dropped unanswered */
	CHECK_INT(blocked_logged, 1);   /* once */
	/* another source is not hurt; the blocked one is back after block_seconds */
	r = invite("10.3.3.3", "0301234");
	CHECK_INT(cwb_admission_check(a, &r, 2200, &ans), 0);
	CHECK_INT(ans.status, 0);
	r = invite("10.2.2.2", "0301234");
	CHECK_INT(cwb_admission_check(a, &r, 2100 + 30000, &ans), 0);
	CHECK_INT(ans.status, 0);

	cwb_admission_free(a);
	cwcfg_config_free(cfg);
}

static struct cwcfg_config *load(const char *text)
{
	struct cwcfg_config *cfg = NULL;
	cw_diag d;

	memset(&d, 0, sizeof(d));
	if (!CHECK_INT(cwcfg_config_load_string(text, "t.conf", &cfg, &d), 0))
		fprintf(stderr, "  %s\n", d.message);
	return cfg;
}

static void test_reload(void)
{
	char path[] = "/tmp/cw-test-admission-XXXXXX", text[512], www[512], cred[1024], err[256];
	struct cwcfg_config *cfg, *cfg2 = NULL, *cfg3 = NULL, *bad = NULL;
	struct cwb_admission *a;
	struct cwb_admission_request r, other;
	struct cwb_admission_answer ans;
	int fd;

	if (start_auth(path, "allow = 127.0.0.1, 127.0.0.2\n", &cfg, &a) < 0)
		return;
	other = invite("127.0.0.2", "0301234");
	CHECK_INT(cwb_admission_check(a, &other, 1000, &ans), 0);
	CHECK_INT(ans.status, 0);
	CHECK_INT(ans.new_call, 1); /* a call of 127.0.0.2 up across the reload */
	r = invite("198.51.100.7", "0301234");
	CHECK_INT(cwb_admission_check(a, &r, 1000, &ans), 0);
	CHECK_INT(ans.status, 401);
	snprintf(www, sizeof(www), "%s", ans.header_value);

	/* bob's password changes, 127.0.0.2 is no longer allowed, one call per source */
	fd = open(path, O_WRONLY | O_TRUNC);
	CHECK(fd >= 0 && write(fd, "bob:n3w\n", 8) == 8);
	if (fd >= 0)
		close(fd);
	snprintf(text, sizeof(text), SPAN "[sip]\nsource_max_calls = 1\n"
	                             "[route out]\nmatch = 0\ngroup = g\nauth = %s\n"
	                             "realm = gw.test\nallow = 127.0.0.1\n", path);
	cfg2 = load(text);
	if (cfg2 && CHECK_INT(cwb_admission_reload(a, cfg2, err, sizeof(err)), 0)) {
		cwcfg_config_free(cfg);
		cfg = cfg2;
	}
	/* 127.0.0.2's call up still counts: at the new source_max_calls */
	CHECK_INT(cwb_admission_check(a, &other, 2000, &ans), 0);
	CHECK_INT(ans.status, 503);
	cwb_admission_call_end(a, "127.0.0.2", 2000);
	CHECK_INT(cwb_admission_check(a, &other, 2000, &ans), 0);
	CHECK_INT(ans.status, 401); /* not in allow any more: the digest is asked for */
	/* the nonce given before the reload is still good (the verifier stayed), the old
	 * password is not */
	CHECK_INT(credentials(www, r.request_uri, "s3cret", 1, cred, sizeof(cred)), 0);
	r.authorization = cred;
	CHECK_INT(cwb_admission_check(a, &r, 2000, &ans), 0);
	CHECK_INT(ans.status, 403);
	CHECK_INT(credentials(www, r.request_uri, "n3w", 2, cred, sizeof(cred)), 0);
	CHECK_INT(cwb_admission_check(a, &r, 2100, &ans), 0);
	CHECK_INT(ans.status, 0);
	/* source_max_calls = 1 taken: a second call of 198.51.100.7 is refused */
	CHECK_INT(credentials(www, r.request_uri, "n3w", 3, cred, sizeof(cred)), 0);
	CHECK_INT(cwb_admission_check(a, &r, 2200, &ans), 0);
	CHECK_INT(ans.status, 503);

	/* a users file that cannot be read: refused with why, the running one stays */
	snprintf(text, sizeof(text), SPAN "[route out]\nmatch = 0\ngroup = g\nauth = %s.gone\n"
	                             "realm = gw.test\n", path);
	bad = load(text);
	err[0] = '\0';
	if (bad)
		CHECK(cwb_admission_reload(a, bad, err, sizeof(err)) < 0);
	CHECK(strstr(err, ".gone") != NULL);
	cwcfg_config_free(bad);
	/* a limit the running table cannot take */
	cfg3 = load(SPAN "[sip]\nmax_calls = 20000\n[route out]\nmatch = 0\ngroup = g\n"
	            "allow = 127.0.0.1\n");
	if (cfg3)
		CHECK(cwb_admission_reload(a, cfg3, err, sizeof(err)) < 0);
	cwcfg_config_free(cfg3);
	CHECK_INT(credentials(www, r.request_uri, "n3w", 4, cred, sizeof(cred)), 0);
	cwb_admission_call_end(a, "198.51.100.7", 2400);
	CHECK_INT(cwb_admission_check(a, &r, 2500, &ans), 0);
	CHECK_INT(ans.status, 0);

	cwb_admission_free(a);
	cwcfg_config_free(cfg);
	unlink(path);
}

int main(void)
{
	test_sources_and_destinations();
	test_digest();
	test_limits();
	test_reload();
	return check_done();
}
