/* SPDX-License-Identifier: MIT */
/*
 * test_linger_stack.c — the adapter over UDP loopback with a raw SIP peer:
 * a call answered, ACKed and cleared with BYE. Once the 200 for the BYE is
 * sent, the transaction and the call are freed and a record is kept for
 * timer J (RFC 3261 §17.2.2): the BYE retransmitted gets the same 200,
 * byte for byte, without a second event; a BYE that is not a
 * retransmission (another branch) is a new transaction (481: the dialog
 * is gone). The records' expiry in time is test_linger.c's.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "sip.h"

static int nbye;
static cws_call *incoming;

static void on_event(void *user, const struct cws_call_event *ev)
{
	(void)user;
	if (ev->type == CWS_EV_INVITE)
		incoming = ev->call;
	if (ev->type == CWS_EV_BYE)
		nbye++;
}

/* Run the adapter until it has read what is waiting (or 1 s passed). */
static void pump(cws *sip)
{
	struct pollfd p = { cws_fd(sip), POLLIN, 0 };

	if (poll(&p, 1, 1000) > 0)
		cws_on_readable(sip);
	cws_on_timeout(sip);
}

static const char request[] =
	"%s sip:bob@127.0.0.1:%u SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 127.0.0.1:%u;branch=%s\r\n"
	"Max-Forwards: 70\r\n"
	"From: <sip:alice@127.0.0.1>;tag=a1\r\n"
	"To: <sip:bob@127.0.0.1>%s\r\n"
	"Call-ID: linger-1@127.0.0.1\r\n"
	"CSeq: %u %s\r\n"
	"Contact: <sip:alice@127.0.0.1:%u>\r\n"
	"Content-Length: 0\r\n\r\n";

static void send_msg(int fd, cws *sip, unsigned me, const char *tag,
                     const char *branch, unsigned cseq, const char *method)
{
	char buf[1024];
	struct sockaddr_in to = { 0 };
	int n = snprintf(buf, sizeof(buf), request, method, cws_port(sip), me, branch, tag, cseq,
	                 method, me);

	to.sin_family = AF_INET;
	to.sin_port = htons((uint16_t)cws_port(sip));
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&to, sizeof(to)) == n);
	pump(sip);
}

/* The next datagram whose status line starts with want ("SIP/2.0 200"), else "". */
static size_t recv_status(int fd, const char *want, char *buf, size_t cap)
{
	for (int i = 0; i < 5; i++) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;

		if (poll(&p, 1, 1000) <= 0)
			break;
		n = recv(fd, buf, cap - 1, 0);
		if (n <= 0)
			break;
		buf[n] = '\0';
		if (strncmp(buf, want, strlen(want)) == 0)
			return (size_t)n;
	}
	buf[0] = '\0';
	return 0;
}

int main(void)
{
	struct cws_config cfg = { .address = "127.0.0.1", .transports = CWS_TRANSPORT_UDP,
	                          .shards = 16, .on_event = on_event };
	struct sockaddr_in me = { 0 };
	socklen_t melen = sizeof(me);
	char buf[2048], first[2048], tag[80], totag[96] = "";
	struct cws_stats st;
	size_t n1, n2;
	cws *sip = NULL;
	const char *t;
	unsigned port;
	int fd;

	CHECK_INT(cws_new(&sip, &cfg), 0);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	me.sin_family = AF_INET;
	me.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(bind(fd, (struct sockaddr *)&me, sizeof(me)) == 0);
	CHECK(getsockname(fd, (struct sockaddr *)&me, &melen) == 0);
	port = ntohs(me.sin_port);

	send_msg(fd, sip, port, "", "z9hG4bKlinv", 1, "INVITE");
	CHECK(incoming != NULL);
	if (incoming == NULL)
		return check_done();
	CHECK_INT(cws_call_respond(incoming, 200, NULL), 0);
	cws_process(sip);
	CHECK(recv_status(fd, "SIP/2.0 200", buf, sizeof(buf)) > 0);
	t = strstr(buf, "\r\nTo: ");
	t = t ? strstr(t, ";tag=") : NULL;
	CHECK(t != NULL);
	if (t == NULL)
		return check_done();
	sscanf(t, ";tag=%79[^;\r\n]", tag);
	snprintf(totag, sizeof(totag), ";tag=%s", tag);
	send_msg(fd, sip, port, totag, "z9hG4bKlack", 1, "ACK");

	/* BYE: 200, the event, then only the record */
	send_msg(fd, sip, port, totag, "z9hG4bKlbye", 2, "BYE");
	n1 = recv_status(fd, "SIP/2.0 200", first, sizeof(first));
	CHECK(n1 > 0);
	CHECK_INT(nbye, 1);
	cws_call_release(incoming);
	cws_process(sip);
	cws_get_stats(sip, &st);
	CHECK_INT(st.lingering, 1);
	CHECK_INT(st.transactions_live, 0);
	CHECK_INT(st.calls_live, 0);
	CHECK(st.lingering_bytes > 0 && st.lingering_bytes < 2048);
	printf("lingering: %lu bytes for the BYE's record\n", st.lingering_bytes);
	/* its expiry is the loop's next deadline, at most timer J away (64*T1 = 32 s) */
	CHECK(cws_next_timeout_ms(sip) > 0 && cws_next_timeout_ms(sip) <= 32000);

	/* the BYE retransmitted: the same 200 again, no event, no transaction */
	send_msg(fd, sip, port, totag, "z9hG4bKlbye", 2, "BYE");
	n2 = recv_status(fd, "SIP/2.0 200", buf, sizeof(buf));
	CHECK_INT(n2, n1);
	CHECK(n2 == n1 && memcmp(buf, first, n1) == 0);
	CHECK_INT(nbye, 1);
	cws_get_stats(sip, &st);
	CHECK_INT(st.absorbed, 1);
	CHECK_INT(st.transactions_live, 0);

	/* another BYE (a new branch) is a new transaction: no dialog now, 481 */
	send_msg(fd, sip, port, totag, "z9hG4bKlbye2", 3, "BYE");
	CHECK(recv_status(fd, "SIP/2.0 481", buf, sizeof(buf)) > 0);
	cws_get_stats(sip, &st);
	CHECK_INT(st.absorbed, 1);
	CHECK_INT(st.lingering, 2);

	close(fd);
	cws_free(sip);
	return check_done();
}
