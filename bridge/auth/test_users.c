/* SPDX-License-Identifier: MIT */
/*
 * test_users.c — the users file: the good file in testdata/ (run from this
 * directory), what lookups find in it, and broken texts with the
 * FILE:LINE: error: MESSAGE each must give; last, the file behind a
 * verifier, answered by the UAC code.
 */
#include <errno.h>
#include <string.h>

#include "common/error.h"
#include "auth.h"
#include "check.h"

static void good_file(void)
{
	struct cwa_users *u = NULL;
	struct cwa_secret s;
	char ha1[CWA_HEX_MAX + 1];
	cw_diag d;

	CHECK(cwa_users_load("testdata/users-good", &u, &d) == 0);
	CHECK(cwa_users_count(u) == 5);

	CHECK(cwa_users_lookup(u, "alice", "gw.example.net", CWA_ALG_MD5, &s) == 0);
	CHECK(s.kind == CWA_SECRET_HA1);
	CHECK(cwa_ha1(CWA_ALG_MD5, "alice", "gw.example.net", "wonderland", ha1) == 0);
	CHECK(strcmp(s.ha1, ha1) == 0);
	/* stored in upper case, handed out in lower case */
	CHECK(cwa_users_lookup(u, "alice", "gw.example.net", CWA_ALG_SHA256, &s) == 0);
	CHECK(cwa_ha1(CWA_ALG_SHA256, "alice", "gw.example.net", "wonderland", ha1) == 0);
	CHECK(s.kind == CWA_SECRET_HA1 && strcmp(s.ha1, ha1) == 0);
	CHECK(cwa_users_lookup(u, "alice", "other.example.net", CWA_ALG_MD5, &s) == -ENOENT);
	CHECK(cwa_users_lookup(u, "alice", "gw.example.net", CWA_ALG_SHA512_256, &s) == -ENOENT);

	CHECK(cwa_users_lookup(u, "bob", "gw.example.net", CWA_ALG_SHA512_256, &s) == 0);
	CHECK(cwa_ha1(CWA_ALG_SHA512_256, "bob", "gw.example.net", "builder", ha1) == 0);
	CHECK(s.kind == CWA_SECRET_HA1 && strcmp(s.ha1, ha1) == 0);
	CHECK(cwa_users_lookup(u, "bob", "gw.example.net", CWA_ALG_MD5, &s) == 0);
	CHECK(cwa_ha1(CWA_ALG_MD5, "bob", "gw.example.net", "builder", ha1) == 0);
	CHECK(strcmp(s.ha1, ha1) == 0);

	/* a password serves any realm; the CR of a CRLF line is not part of it */
	CHECK(cwa_users_lookup(u, "carol", "any.example.org", CWA_ALG_SHA256, &s) == 0);
	CHECK(s.kind == CWA_SECRET_PASSWORD && strcmp(s.password, "plain secret with spaces") == 0);
	CHECK(cwa_users_lookup(u, "Carol", "any.example.org", CWA_ALG_SHA256, &s) == -ENOENT);
	CHECK(cwa_users_lookup(u, "dave", "gw.example.net", CWA_ALG_MD5, &s) == -ENOENT);
	cwa_users_free(u);

	CHECK(cwa_users_parse("", 0, "empty", &u, &d) == 0 && cwa_users_count(u) == 0);
	cwa_users_free(u);
}

struct broken {
	const char *text;
	int code;
	const char *diagnostic; /* cwa_diag_print() of the error */
	size_t len;             /* 0: strlen(text) */
};

#define HA1_MD5 "0123456789abcdef0123456789abcdef"

static const struct broken broken[] = {
	{"alice\n", CWCOM_ESYNTAX,
	 "users:1: error: expected user:realm:HA1, user:realm:TAG:HA1 or user:secret", 0},
	{"# ok\n\nalice:\n", CWCOM_ESYNTAX, "users:3: error: empty password", 0},
	{":secret\n", CWCOM_ESYNTAX, "users:1: error: empty user name", 0},
	{"al ice:secret\n", CWCOM_ESYNTAX,
	 "users:1: error: user name contains a blank or control character", 0},
	{"alice::" HA1_MD5 "\n", CWCOM_ESYNTAX, "users:1: error: empty realm", 0},
	{"alice:r:0123\n", CWCOM_ESYNTAX,
	 "users:1: error: HA1 has 4 hex digits; 32 (MD5) or 64 (SHA-256) expected", 0},
	{"alice:r:0123456789abcdef0123456789abcdeg\n", CWCOM_ESYNTAX,
	 "users:1: error: HA1 is not hexadecimal", 0},
	{"alice:r:sha256:" HA1_MD5 "\n", CWCOM_ESYNTAX,
	 "users:1: error: SHA-256 HA1 has 32 hex digits; 64 expected", 0},
	{"alice:r:sha1:" HA1_MD5 "\n", CWCOM_ESYNTAX,
	 "users:1: error: unknown HA1 tag 'sha1' (md5, sha256, sha512-256 expected)", 0},
	{"alice:r:md5:" HA1_MD5 ":x\n", CWCOM_ESYNTAX,
	 "users:1: error: more than 4 ':'-separated fields", 0},
	{"alice:r:" HA1_MD5 "\nbob:pw\nalice:r:MD5:" HA1_MD5 "\n", CWCOM_EDUPLICATE,
	 "users:3: error: duplicate MD5 HA1 for user 'alice' in realm 'r' (first at line 1)", 0},
	{"bob:pw\n# bob again\nbob:other\n", CWCOM_EDUPLICATE,
	 "users:3: error: duplicate password for user 'bob' (first at line 1)", 0},
	{"bob:p\0w\n", CWCOM_ESYNTAX, "users:1: error: NUL byte in line", 8},
};

static void broken_texts(void)
{
	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		const struct broken *b = &broken[i];
		size_t len = b->len ? b->len : strlen(b->text);
		struct cwa_users *u = (struct cwa_users *)&len; /* must come back NULL */
		char line[512];
		cw_diag d;
		int r;

		r = cwa_users_parse(b->text, len, "users", &u, &d);
		CHECK(r == b->code && u == NULL && d.code == r);
		cwa_diag_print(&d, line, sizeof(line));
		if (strcmp(line, b->diagnostic) != 0)
			fprintf(stderr, "vector %zu: got \"%s\"\n", i, line);
		CHECK(strcmp(line, b->diagnostic) == 0);
	}
}

static void limits_and_files(void)
{
	char text[1100], line[512];
	struct cwa_users *u = NULL;
	cw_diag d;
	size_t n;

	/* 1024 bytes a line; longer is refused */
	n = (size_t)snprintf(text, sizeof(text), "# ok\nalice:%01018d\n", 0);
	CHECK(cwa_users_parse(text, n, "users", &u, &d) == 0);
	cwa_users_free(u);
	n = (size_t)snprintf(text, sizeof(text), "# ok\nalice:%01019d\n", 0);
	CHECK(cwa_users_parse(text, n, "users", &u, &d) == CWCOM_ELIMIT && d.line == 2);

	/* no diag is fine; the last line needs no '\n' */
	CHECK(cwa_users_parse("bob:pw\nbob:pw", 13, "users", &u, NULL) == CWCOM_EDUPLICATE);

	CHECK(cwa_users_load("testdata/no-such-file", &u, &d) == -ENOENT);
	cwa_diag_print(&d, line, sizeof(line));
	CHECK(strcmp(line, "testdata/no-such-file: error: cannot open: No such file or directory") == 0);
	CHECK(cwa_users_parse(NULL, 1, "users", &u, &d) == -EINVAL);
}

static enum cwa_verdict answer_and_verify(struct cwa_verifier *v, struct cwa_users *u,
                                          enum cwa_algorithm alg, const char *user,
                                          const char *password, uint64_t now)
{
	static const char uri[] = "sip:+4930100@gw.example.net";
	struct cwa_uac_input in = {.username = user, .password = password, .method = "INVITE",
	                           .uri = uri, .cnonce = "9e2b", .nc = 1};
	struct cwa_challenge ch;
	struct cwa_request req = {.method = "INVITE", .request_uri = uri};
	enum cwa_verdict verdict = CWA_VERDICT_OK;
	char hdr[512], cred[1024];
	size_t len = 0, n = 0;

	CHECK(cwa_verifier_challenge(v, now, 0, alg, hdr, sizeof(hdr), &len) == 0);
	CHECK(cwa_challenges_parse(hdr, len, &ch, 1, &n) == 0 && n == 1);
	CHECK(cwa_uac_authorization(&ch, &in, cred, sizeof(cred), &len) == 0);
	req.credentials = cred;
	req.credentials_len = len;
	CHECK(cwa_verifier_verify(v, &req, cwa_users_lookup, u, now, &verdict, NULL, NULL) == 0);
	return verdict;
}

static void behind_a_verifier(void)
{
	static const uint8_t secret[16] = "users-test-0123";
	struct cwa_verifier_config cfg = {
		.secret = secret, .secret_len = sizeof(secret), .realm = "gw.example.net",
		.nonce_lifetime = 60, .replay_slots = 8,
		.algorithms = CWA_ALG_BIT(CWA_ALG_MD5) | CWA_ALG_BIT(CWA_ALG_SHA256) |
		              CWA_ALG_BIT(CWA_ALG_SHA512_256),
	};
	struct cwa_verifier *v = NULL;
	struct cwa_users *u = NULL;
	cw_diag d;

	CHECK(cwa_users_load("testdata/users-good", &u, &d) == 0);
	CHECK(cwa_verifier_new(&cfg, &v) == 0);
	if (!u || !v)
		return;
	CHECK(answer_and_verify(v, u, CWA_ALG_MD5, "alice", "wonderland", 1) == CWA_VERDICT_OK);
	CHECK(answer_and_verify(v, u, CWA_ALG_SHA256, "alice", "wonderland", 2) == CWA_VERDICT_OK);
	CHECK(answer_and_verify(v, u, CWA_ALG_SHA256, "alice", "Wonderland", 3) ==
	      CWA_VERDICT_FORBIDDEN);
	/* alice has no SHA-512-256 HA1, bob has */
	CHECK(answer_and_verify(v, u, CWA_ALG_SHA512_256, "alice", "wonderland", 4) ==
	      CWA_VERDICT_FORBIDDEN);
	CHECK(answer_and_verify(v, u, CWA_ALG_SHA512_256, "bob", "builder", 5) == CWA_VERDICT_OK);
	/* carol's password works for every algorithm of the realm */
	CHECK(answer_and_verify(v, u, CWA_ALG_SHA512_256, "carol", "plain secret with spaces", 6) ==
	      CWA_VERDICT_OK);
	CHECK(answer_and_verify(v, u, CWA_ALG_MD5, "carol", "plain secret with spaces", 7) ==
	      CWA_VERDICT_OK);
	CHECK(answer_and_verify(v, u, CWA_ALG_MD5, "dave", "x", 8) == CWA_VERDICT_FORBIDDEN);
	cwa_verifier_free(v);
	cwa_users_free(u);
}

int main(void)
{
	good_file();
	broken_texts();
	limits_and_files();
	behind_a_verifier();
	return check_done();
}
