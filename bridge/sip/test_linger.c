/* SPDX-License-Identifier: MIT */
/*
 * test_linger.c — the records of completed non-INVITE server transactions
 * (linger.h), time fed in: a retransmission (same branch, sent-by, method,
 * Call-ID and CSeq) gets the same response bytes; another request does not;
 * after the deadline nothing matches, so the same request again is a new
 * transaction; deadlines come out in order.
 */
#include <string.h>

#include "check.h"
#include "linger.h"

static const char ok200[] = "SIP/2.0 200 OK\r\nCSeq: 2 BYE\r\n\r\n";

static struct cws_linger_key bye(const char *branch)
{
	struct cws_linger_key k = { branch, "pc33.atlanta.example", "5060", "BYE",
	                            "a84b4c76e66710@pc33",
	                            "2" };
	return k;
}

static void add(struct cws_linger *t, const struct cws_linger_key *k, long long expires)
{
	struct cws_linger_dest d = { 0, -1, "192.0.2.1", 5060 };

	CHECK_INT(cws_linger_add(t, k, 200, ok200, strlen(ok200), &d, expires), 0);
}

static void test_retransmission_and_expiry(void)
{
	struct cws_linger t;
	struct cws_linger_key k = bye("z9hG4bK776asdhds"), other;
	const struct cws_linger_entry *e;
	struct cws_linger_dest d;
	const char *resp;
	size_t len = 0;

	CHECK_INT(cws_linger_init(&t, 64), 0);
	CHECK(cws_linger_match(&t, &k, 0) == NULL);
	add(&t, &k, 32000); /* timer J: 64*T1 after the 200 at 0 */
	CHECK_INT(t.count, 1);
	CHECK(t.bytes > strlen(ok200));
	/* the BYE retransmitted at 500 ms and at 31.9 s: the same 200, to the same place */
	for (long long now = 500; now < 32000; now += 31400) {
		e = cws_linger_match(&t, &k, now);
		CHECK(e != NULL);
		if (e == NULL)
			break;
		resp = cws_linger_response(e, &len);
		CHECK_INT(len, strlen(ok200));
		CHECK(memcmp(resp, ok200, len) == 0);
		CHECK_INT(cws_linger_status(e), 200);
		CHECK_STR(cws_linger_method(e), "BYE");
		cws_linger_dest_of(e, &d);
		CHECK_STR(d.host, "192.0.2.1");
		CHECK_INT(d.port, 5060);
		CHECK_INT(d.sock, -1);
	}
	/* sent-by's host is compared without case (RFC 3261 §17.2.3) */
	other = k;
	other.host = "PC33.Atlanta.Example";
	CHECK(cws_linger_match(&t, &other, 1000) != NULL);
	/* not retransmissions: another branch, the CANCEL of the same branch, another
	   sent-by port, another CSeq, another Call-ID */
	other = bye("z9hG4bK776asdhdt");
	CHECK(cws_linger_match(&t, &other, 1000) == NULL);
	other = k;
	other.method = "CANCEL";
	CHECK(cws_linger_match(&t, &other, 1000) == NULL);
	other = k;
	other.port = NULL;
	CHECK(cws_linger_match(&t, &other, 1000) == NULL);
	other = k;
	other.cseq = "3";
	CHECK(cws_linger_match(&t, &other, 1000) == NULL);
	other = k;
	other.call_id = "a84b4c76e66711@pc33";
	CHECK(cws_linger_match(&t, &other, 1000) == NULL);
	/* timer J fired: the same BYE again finds nothing (a new transaction) */
	CHECK(cws_linger_match(&t, &k, 32000) == NULL);
	CHECK_INT(cws_linger_expire(&t, 31999), 0);
	CHECK_INT(cws_linger_expire(&t, 32000), 1);
	CHECK_INT(t.count, 0);
	CHECK_INT(t.bytes, 0);
	CHECK_INT(cws_linger_next(&t), -1);
	CHECK(cws_linger_match(&t, &k, 32001) == NULL);
	/* ... whose own final response is kept afresh */
	add(&t, &k, 64001);
	CHECK(cws_linger_match(&t, &k, 40000) != NULL);
	cws_linger_free(&t);
}

static void test_deadline_order_and_replace(void)
{
	struct cws_linger t;
	struct cws_linger_key a = bye("z9hG4bKa"), b = bye("z9hG4bKb"), c = bye("z9hG4bKc");

	CHECK_INT(cws_linger_init(&t, 1), 0); /* one bucket: every key in one chain */
	add(&t, &a, 3000);
	add(&t, &b, 1000);
	add(&t, &c, 2000);
	CHECK_INT(cws_linger_next(&t), 1000);
	CHECK_INT(cws_linger_expire(&t, 1000), 1);
	CHECK(cws_linger_match(&t, &b, 0) == NULL);
	CHECK(cws_linger_match(&t, &a, 0) != NULL);
	CHECK(cws_linger_match(&t, &c, 0) != NULL);
	CHECK_INT(cws_linger_next(&t), 2000);
	/* the same key again replaces its record */
	add(&t, &c, 5000);
	CHECK_INT(t.count, 2);
	CHECK_INT(cws_linger_next(&t), 3000);
	CHECK_INT(cws_linger_expire(&t, 4000), 1);
	CHECK(cws_linger_match(&t, &c, 4000) != NULL);
	CHECK_INT(cws_linger_expire(&t, 5000), 1);
	CHECK_INT(t.count, 0);
	cws_linger_free(&t);
	CHECK_INT(cws_linger_init(&t, 0), -22);
}

int main(void)
{
	test_retransmission_and_expiry();
	test_deadline_order_and_replace();
	return check_done();
}
