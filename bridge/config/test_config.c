/* SPDX-License-Identifier: MIT */
/*
 * test_config.c — the causeway-bridge configuration loader.
 * Run with the working directory bridge/config/ (meson sets it): the
 * example file and testdata/ are opened by relative path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <causeway/map.h>
#include <causeway/q850.h>

#include "common/error.h"
#include "../../tests/unit/check.h"
#include "config.h"
#include "name_table.h"

/* Lines 1-5: a minimal valid span. */
#define SPAN1                                                                                 \
	"[span 1]\n"                                                                          \
	"switchtype = euroisdn\n"                                                             \
	"signalling = pri_cpe\n"                                                              \
	"dchannel = dahdi:16\n"                                                               \
	"bchannels = 1-15,17-31\n"

/* Lines 1-2: [general] naming a DAHDI system.conf of testdata/. */
#define SYSCONF(name) "[general]\ndahdi_system_conf = testdata/" name "\n"
/* 3 lines after a [span N] header: D- and B-channels from that system.conf. */
#define AUTO_SPAN "switchtype = euroisdn\nsignalling = pri_cpe\ndchannel = dahdi:auto\n"

struct bad_case {
	const char *text;
	int code;
	const char *file; /* NULL = "t.conf" */
	unsigned line;
	unsigned column; /* checked only when file is set */
	const char *substring;
};

static const struct bad_case bad_cases[] = {
	/* sections */
	{"[spam 1]\n", -ENOENT, NULL, 1, 0, "did you mean [span N]"},
	{"[foo]\n", -ENOENT, NULL, 1, 0, "sections: general, sip, span N, route NAME"},
	{SPAN1 "[span 1]\n", CWCOM_EDUPLICATE, NULL, 6, 0, "[span 1] is defined twice (first at line 1)"},
	{"[span 0]\n", -ERANGE, NULL, 1, 0, "out of range 1-127"},
	{"[span 128]\n", -ERANGE, NULL, 1, 0, "out of range 1-127"},
	{"[span]\n", CWCOM_ESYNTAX, NULL, 1, 0, "needs a span number"},
	{"[span one]\n", CWCOM_ESYNTAX, NULL, 1, 0, "is not a number"},
	{"[general]\n[sip]\n[general]\n", CWCOM_EDUPLICATE, NULL, 3, 0, "first at line 1"},
	{"[route a/b]\n", CWCOM_ESYNTAX, NULL, 1, 0, "route name"},
	{"[sip] port = 1\n", CWCOM_ESYNTAX, NULL, 1, 0, "text after the section header"},
	{"[sip\n", CWCOM_ESYNTAX, NULL, 1, 0, "without ']'"},
	{"log_level = debug\n", CWCOM_ESYNTAX, NULL, 1, 0, "outside of any [section]"},
	{SPAN1 "garbage\n", CWCOM_ESYNTAX, NULL, 6, 0, "expected 'key = value'"},
	/* keys */
	{SPAN1 "switchtyp = qsig\n", -ENOENT, NULL, 6, 0,
	 "unknown key 'switchtyp' in [span 1] (did you mean 'switchtype'?)"},
	{"[sip]\nxyzzy = 1\n", -ENOENT, NULL, 2, 0, "unknown key 'xyzzy' in [sip]"},
	{SPAN1 "switchtype = qsig\n", CWCOM_EDUPLICATE, NULL, 6, 0, "given twice (first at line 2)"},
	{"[span 1]\nswitchtype =\n", CWCOM_ESYNTAX, NULL, 2, 0, "switchtype: empty value"},
	/* [general] */
	{"[general]\nlog_level = verbose\n", -ENOENT, NULL, 2, 0, "one of: error, warning"},
	{"[general]\nprofile = rfc9999\n", -ENOENT, NULL, 2, 0, "unknown profile 'rfc9999'"},
	{"[general]\nlog_level = info\n", CWCOM_EMISSING, NULL, 2, 0, "at least one span is required"},
	{"[general]\nmetrics = 127.0.0.1\n", CWCOM_ESYNTAX, NULL, 2, 0, "is not ADDR:PORT"},
	{"[general]\nmetrics = ::1:9464\n", CWCOM_ESYNTAX, NULL, 2, 0, "is not ADDR:PORT"},
	{"[general]\nmetrics = [::1:9464\n", CWCOM_ESYNTAX, NULL, 2, 0, "is not ADDR:PORT"},
	{"[general]\nmetrics = localhost:9464\n", CWCOM_ESYNTAX, NULL, 2, 0, "not an IPv4 or IPv6"},
	{"[general]\nmetrics = 127.0.0.1:65536\n", -ERANGE, NULL, 2, 0, "out of range 0-65535"},
	{"[general]\nnode = gw a\n", CWCOM_ESYNTAX, NULL, 2, 0, "is not a node name"},
	{"[general]\nnode = gw-a\nnode = gw-b\n", CWCOM_EDUPLICATE, NULL, 3, 0, "node"},
	/* [sip] */
	{"[sip]\nport = 0\n", -ERANGE, NULL, 2, 0, "out of range 1-65535"},
	/* media: rtp_ports, media_address, [span N] audio */
	{"[sip]\nrtp_ports = 20000\n", CWCOM_ESYNTAX, NULL, 2, 0, "is not LOW-HIGH"},
	{"[sip]\nrtp_ports = 20000-20000\n", -ERANGE, NULL, 2, 0, "holds no even/odd pair"},
	{"[sip]\nrtp_ports = 20001-20002\n", -ERANGE, NULL, 2, 0, "holds no even/odd pair"},
	{"[sip]\nrtp_ports = 80-90\n", -ERANGE, NULL, 2, 0, "within 1024-65535"},
	{"[sip]\nmedia_address = 0.0.0.0\n", CWCOM_ESYNTAX, NULL, 2, 0, "is a wildcard"},
	{"[sip]\nmedia_address = ::\n", CWCOM_ESYNTAX, NULL, 2, 0, "is a wildcard"},
	{"[sip]\nmedia_address = gw.example\n", CWCOM_ESYNTAX, NULL, 2, 0, "not an IPv4 or IPv6"},
	{"[sip]\nmedia_address = 2001:db8::1\n" SPAN1, CWCOM_ESYNTAX, NULL, 2, 0,
	 "not of the bind address's family"},
	{SPAN1 "audio = tdm\n", CWCOM_ESYNTAX, NULL, 6, 0, "is not socket:PATH, dahdi"},
	{SPAN1 "audio = socket:\n", CWCOM_ESYNTAX, NULL, 6, 0, "needs a path"},
	{"[span 1]\nswitchtype = euroisdn\nsignalling = pri_cpe\ndchannel = socket:/tmp/d\n"
	 "bchannels = 1-15,17-31\naudio = dahdi\n", CWCOM_EMISSING, NULL, 6, 0,
	 "audio = dahdi needs a dahdi: dchannel"},
	{"[sip]\nport = 65536\n", -ERANGE, NULL, 2, 0, "out of range 1-65535"},
	{"[sip]\nport = 50x\n", CWCOM_ESYNTAX, NULL, 2, 0, "is not a number"},
	{"[sip]\nbind = 999.1.1.1\n", CWCOM_ESYNTAX, NULL, 2, 0, "not an IPv4 or IPv6 address"},
	{"[sip]\nbind = [::1]\n", CWCOM_ESYNTAX, NULL, 2, 0, "without brackets"},
	{"[sip]\ntransport = udp,sctp\n", -ENOENT, NULL, 2, 0, "'sctp' is not supported"},
	{"[sip]\ntransport = udp, udp\n", CWCOM_EDUPLICATE, NULL, 2, 0, "listed twice"},
	{"[sip]\nretry_after = 86401\n", -ERANGE, NULL, 2, 0, "out of range 0-86400"},
	{"[sip]\ninterwork_timeout = 0\n", -ERANGE, NULL, 2, 0, "interwork_timeout: 0 is out of range 1-3600000"},
	{"[sip]\ninterwork_timeout = 10s\n", CWCOM_ESYNTAX, NULL, 2, 0, "is not a number"},
	{SPAN1 "early_release = maybe\n", CWCOM_ESYNTAX, NULL, 6, 0, "early_release: 'maybe' is not yes or no"},
	{SPAN1 "early_release = no\nearly_release = yes\n", CWCOM_EDUPLICATE, NULL, 7, 0, "given twice"},
	{SPAN1 "overlap = sometimes\n", CWCOM_ESYNTAX, NULL, 6, 0, "overlap: 'sometimes' is not yes or no"},
	{SPAN1 "t302 = 0\n", -ERANGE, NULL, 6, 0, "t302: 0 is out of range 1-3600000"},
	{SPAN1 "hunting = random\n", -ENOENT, NULL, 6, 0, "hunting"},
	{SPAN1 "hunting = descendng\n", -ENOENT, NULL, 6, 0, "descending"},
	{SPAN1 "hunting = ascending\nhunting = descending\n", CWCOM_EDUPLICATE, NULL, 7, 0, "given twice"},
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\ndigits = 0\n", -ERANGE, NULL, 9, 0,
	 "digits: '0' is not N or MIN-MAX digits (1-31, MIN <= MAX)"},
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\ndigits = 9-5\n", -ERANGE, NULL, 9, 0, "MIN <= MAX"},
	{SPAN1 "overlap_method = overlap\n", -ENOENT, NULL, 6, 0, "overlap_method"},
	{SPAN1 "overlap_method = multiple-invite\n", CWCOM_EMISSING, NULL, 6, 0,
	 "[span 1]: overlap_method = multiple-invite needs overlap = yes"},
	{SPAN1 "overlap = yes\noverlap_method = en-bloc\noverlap_method = en-bloc\n", CWCOM_EDUPLICATE,
	 NULL, 8, 0, "given twice"},
	{SPAN1 "overlap_sending = often\n", CWCOM_ESYNTAX, NULL, 6, 0, "overlap_sending: 'often' is not yes or no"},
	{SPAN1 "overlap_sending_digits = 0\n", -ERANGE, NULL, 6, 0, "overlap_sending_digits: 0 is out of range 1-31"},
	{SPAN1 "overlap_sending_digits = 32\n", -ERANGE, NULL, 6, 0, "out of range 1-31"},
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\ndigits = 5-\n", -ERANGE, NULL, 9, 0, "MIN-MAX"},
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\ndigits = 32\n", -ERANGE, NULL, 9, 0, "(1-31"},
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\ndigits = 4\ndigits = 5\n", CWCOM_EDUPLICATE, NULL,
	 10, 0, "given twice"},
	{"[sip]\ninvite_timeout = 0\n", -ERANGE, NULL, 2, 0, "invite_timeout: 0 is out of range 1-3600000"},
	{"[sip]\ninvite_timeout = 5s\n", CWCOM_ESYNTAX, NULL, 2, 0, "is not a number"},
	/* RFC 4028: 0 or 90 s and more; never below min_se */
	{"[sip]\nsession_expires = 89\n", -ERANGE, NULL, 2, 0, "session_expires: 89 is out of range 90-86400"},
	{"[sip]\nmin_se = 60\n", -ERANGE, NULL, 2, 0, "min_se: 60 is out of range 90-86400"},
	{"[sip]\nmin_se = 600\nsession_expires = 300\n" SPAN1, -ERANGE, NULL, 3, 0,
	 "session_expires (300) is below min_se (600)"},
	{"[sip]\nsession_refresher = uac\n", -ENOENT, NULL, 2, 0, "session_refresher"},
	{"[sip]\nsession_expires = 0\nsession_expires = 0\n", CWCOM_EDUPLICATE, NULL, 3, 0, "given twice"},
	/* DTMF: RFC 4733 events or in-band */
	{"[sip]\ndtmf = rfc2833\n", -ENOENT, NULL, 2, 0, "dtmf"},
	{"[sip]\ndtmf = inband\ndtmf = rfc4733\n", CWCOM_EDUPLICATE, NULL, 3, 0, "given twice"},
	/* redirection: redirect_keys.c */
	{"[sip]\nredirect_headers = divrsion\n", -ENOENT, NULL, 2, 0, "did you mean 'diversion'"},
	{"[sip]\nredirect_headers = rpid\n", -ENOENT, NULL, 2, 0, "history-info"},
	{"[sip]\nmax_redirects = 11\n", -ERANGE, NULL, 2, 0, "out of range 0-10"},
	{"[sip]\nmax_redirects = 1\nmax_redirects = 2\n", CWCOM_EDUPLICATE, NULL, 3, 0, "given twice"},
	/* [span N] */
	{"[span 1]\nswitchtype = eurosidn\n", -ENOENT, NULL, 2, 0, "did you mean 'euroisdn'"},
	{"[span 1]\nswitchtype = ss7\n", -ENOENT, NULL, 2, 0, "one of: euroisdn, ni2, dms100"},
	{"[span 1]\nsignalling = bri_cpe\n", -ENOENT, NULL, 2, 0, "BRI is not supported"},
	{"[span 1]\nsignalling = pri_cep\n", -ENOENT, NULL, 2, 0, "did you mean 'pri_cpe'"},
	{"[span 1]\ndchannel = 16\n", CWCOM_ESYNTAX, NULL, 2, 0, "did you mean 'dahdi:16'"},
	{"[span 1]\ndchannel = tty:/dev/x\n", CWCOM_ESYNTAX, NULL, 2, 0, "socket:PATH, dahdi:CHANNEL or dahdi:auto"},
	{"[span 1]\ndchannel = dahdi:0\n", -ERANGE, NULL, 2, 0, "out of range 1-4096"},
	{"[span 1]\nbchannels = 0-15\n", -ERANGE, NULL, 2, 0, "channel 0 is out of range 1-31"},
	{"[span 1]\nbchannels = 1-32\n", -ERANGE, NULL, 2, 0, "channel 32 is out of range 1-31"},
	{"[span 1]\nbchannels = 1-15,10-20\n", CWCOM_EDUPLICATE, NULL, 2, 0, "channel 10 is listed twice"},
	{"[span 1]\nbchannels = 3,3\n", CWCOM_EDUPLICATE, NULL, 2, 0, "channel 3 is listed twice"},
	{"[span 1]\nbchannels = 15-1\n", CWCOM_ESYNTAX, NULL, 2, 0, "range 15-1 is descending"},
	{"[span 1]\nbchannels = 1-15,,17\n", CWCOM_ESYNTAX, NULL, 2, 0, "expected a channel number"},
	{"[span 1]\nlocation = XYZ\n", -ENOENT, NULL, 2, 0, "not an RFC 8606 location"},
	{"[span 1]\nt310 = 0\n", -ERANGE, NULL, 2, 0, "t310: 0 is out of range 1-3600000"},
	{"[span 1]\nt301 = 3600001\n", -ERANGE, NULL, 2, 0, "t301: 3600001 is out of range 1-3600000"},
	{SPAN1 "t301 = 1000\nt301 = 2000\n", CWCOM_EDUPLICATE, NULL, 7, 0, "given twice (first at line 6)"},
	{"[span 1]\nk = 128\n", -ERANGE, NULL, 2, 0, "k: 128 is out of range 1-127"},
	{"[span 1]\ngroup = a b\n", CWCOM_ESYNTAX, NULL, 2, 0, "not a group name"},
	{"[span 1]\nswitchtype = ni2\nsignalling = pri_cpe\ndchannel = dahdi:24\nbchannels = 1-31\n",
	 -ERANGE, NULL, 5, 0, "[span 1]: bchannels: channel 24 is not a B-channel of a T1 span"},
	{SPAN1 "[span 2]\nswitchtype = euroisdn\nsignalling = pri_cpe\ndchannel = dahdi:16\n"
	       "bchannels = 1-15\n",
	 CWCOM_EDUPLICATE, NULL, 9, 0, "the same dchannel as [span 1] (line 4)"},
	{SPAN1 "overrides = testdata/nonexistent.map\n", -ENOENT, NULL, 6, 0,
	 "cannot open 'testdata/nonexistent.map'"},
	/* [route NAME] */
	{SPAN1 "[route out]\nmatch = 0\ngroup = nosuch\n", -ENOENT, NULL, 8, 0,
	 "no span has group 'nosuch'"},
	{SPAN1 "[route in]\nmatch = *\ntarget = http://10.0.0.1\n", CWCOM_ESYNTAX, NULL, 8, 0,
	 "is not a sip: or sips: URI"},
	{SPAN1 "[route in]\ntarget = sip:\n", CWCOM_ESYNTAX, NULL, 7, 0, "has no host"},
	{SPAN1 "[route in]\ntarget = sip:10.0.0.1:99999\n", -ERANGE, NULL, 7, 0,
	 "out of range 1-65535"},
	{SPAN1 "[route in]\ntarget = sip:bob@10.0.0.1\n", CWCOM_ESYNTAX, NULL, 7, 0, "user part"},
	{SPAN1 "[route in]\ntarget = sip:10.0.0.1;transport=sctp\n", -ENOENT, NULL, 7, 0,
	 "transport 'sctp' is not supported"},
	{SPAN1 "[route in]\ntarget = sip:[2001:db8::1\n", CWCOM_ESYNTAX, NULL, 7, 0, "missing ']'"},
	{SPAN1 "[route in]\ntarget = sips:10.0.0.1;transport=udp\n", CWCOM_ESYNTAX, NULL, 7, 0,
	 "RFC 5630"},
	/* [sip] TLS: the files are checked here, with OpenSSL */
	{SPAN1 "[sip]\ntransport = udp,tls\n", CWCOM_EMISSING, NULL, 7, 0,
	 "tls needs tls_certificate and tls_private_key"},
	{SPAN1 "[sip]\ntransport = tls\ntls_certificate = testdata/no-such.pem\n"
	       "tls_private_key = testdata/tls-key.pem\n", -ENOENT, NULL, 8, 0,
	 "tls_certificate: cannot read 'testdata/no-such.pem'"},
	{SPAN1 "[sip]\ntransport = tls\ntls_certificate = testdata/tls-cert.pem\n"
	       "tls_private_key = testdata/no-such.pem\n", -ENOENT, NULL, 9, 0,
	 "tls_private_key: cannot read"},
	{SPAN1 "[sip]\ntransport = tls\ntls_certificate = testdata/site.map\n"
	       "tls_private_key = testdata/tls-key.pem\n", CWCOM_ESYNTAX, NULL, 8, 0,
	 "is not a PEM certificate"},
	{SPAN1 "[sip]\ntransport = tls\ntls_certificate = testdata/tls-cert.pem\n"
	       "tls_private_key = testdata/tls-cert.pem\n", CWCOM_ESYNTAX, NULL, 9, 0,
	 "tls_private_key: 'testdata/tls-cert.pem'"},
	{SPAN1 "[sip]\ntransport = tls\ntls_certificate = testdata/tls-cert.pem\n"
	       "tls_private_key = testdata/tls-other-key.pem\n", CWCOM_ESYNTAX, NULL, 9, 0,
	 "key values mismatch"},
	{SPAN1 "[sip]\ntransport = tls\ntls_certificate = testdata/tls-cert.pem\n"
	       "tls_private_key = testdata/tls-key.pem\ntls_ca_file = testdata/site.map\n",
	 CWCOM_ESYNTAX, NULL, 10, 0, "no CA certificate loaded"},
	{"[sip]\ntls_min_version = 1.1\n", CWCOM_ESYNTAX, NULL, 2, 0, "is not 1.2 or 1.3"},
	{"[sip]\ntls_port = 0\n", -ERANGE, NULL, 2, 0, "tls_port: 0 is out of range 1-65535"},
	{"[sip]\ntls_verify_client = maybe\n", CWCOM_ESYNTAX, NULL, 2, 0, "tls_verify_client"},
	{"[sip]\ntls_ca_dir = /etc/ssl/certs\ntls_ca_dir = /tmp\n", CWCOM_EDUPLICATE, NULL, 3, 0,
	 "given twice (first at line 2)"},
	{SPAN1 "[route in]\nmatch = *\n"
	       "target = sip:a\ntarget = sip:b\ntarget = sip:c\ntarget = sip:d\n"
	       "target = sip:e\ntarget = sip:f\ntarget = sip:g\ntarget = sip:h\ntarget = sip:i\n",
	 CWCOM_ELIMIT, NULL, 16, 0, "more than 8 targets"},
	{SPAN1 "[route x]\nmatch = *\ntarget = sip:a\ngroup = 1\n", CWCOM_ESYNTAX, NULL, 9, 0,
	 "cannot be in one route"},
	{SPAN1 "[route x]\nmatch = *\n", CWCOM_EMISSING, NULL, 6, 0, "needs target= (ISDN->SIP) or group="},
	{SPAN1 "[route x]\ngroup = 1\n", CWCOM_EMISSING, NULL, 6, 0, "'match' is missing"},
	{SPAN1 "[route x]\nmatch = 12a\n", CWCOM_ESYNTAX, NULL, 7, 0, "not '*' or a number prefix"},
	{SPAN1 "[route a]\nmatch = 49\ntarget = sip:a\n[route b]\nmatch = 49\ntarget = sip:b\n",
	 CWCOM_EDUPLICATE, NULL, 10, 0, "same isdn-to-sip match as [route a] (line 7)"},
	{SPAN1 "[route a]\nmatch = *\ntarget = sip:a\nton = national\n", CWCOM_ESYNTAX, NULL, 9, 0,
	 "apply to SIP->ISDN routes only"},
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\nton = local\n", -ENOENT, NULL, 9, 0,
	 "unknown ton 'local'"},
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\nnpi = isdm\n", -ENOENT, NULL, 9, 0,
	 "did you mean 'isdn'"},
	/* caller identity trust (RFC 3325) */
	{SPAN1 "[route a]\nmatch = *\ntarget = sip:a\ntrusted_peers = 10.0.0.1\n", CWCOM_ESYNTAX, NULL,
	 9, 0, "trusted_peers applies to SIP->ISDN routes"},
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\ntrust_identity = yes\n", CWCOM_ESYNTAX, NULL, 9, 0,
	 "trust_identity applies to ISDN->SIP routes"},
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\ntrust_identity = maybe\n", CWCOM_ESYNTAX, NULL, 9, 0,
	 "is not yes or no"},
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\ntrusted_peers = pbx.example.com\n", CWCOM_ESYNTAX,
	 NULL, 9, 0, "names are not resolved"},
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\ntrusted_peers = 10.0.0.1/8\n", CWCOM_ESYNTAX, NULL,
	 9, 0, "bits set past /8"},
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\ntrusted_peers = 10.0.0.0/33\n", -ERANGE, NULL,
	 9, 0, "prefix length"},
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\ntrusted_peers = ,\n", CWCOM_ESYNTAX, NULL, 9, 0,
	 "no address"},
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\ntrusted_peers = 1.1.1.1,1.1.1.2,1.1.1.3,1.1.1.4,"
	 "1.1.1.5,1.1.1.6,1.1.1.7,1.1.1.8,1.1.1.9,1.1.1.10,1.1.1.11,1.1.1.12,1.1.1.13,1.1.1.14,"
	 "1.1.1.15,1.1.1.16,1.1.1.17\n", CWCOM_ELIMIT, NULL, 9, 0, "trusted_peers: more than 16 blocks"},
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\nprefix = +49\n", CWCOM_ESYNTAX, NULL, 9, 0,
	 "use ton = international"},
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\nstrip = 33\n", -ERANGE, NULL, 9, 0,
	 "out of range 0-32"},
	/* [sip] limits */
	{"[sip]\nsource_rate = 0\n", -ERANGE, NULL, 2, 0, "source_rate: 0 is out of range 1-100000"},
	{"[sip]\nblock_factor = 2\nsource_rate = 10\nsource_burst = 50\n" SPAN1, -ERANGE, NULL,
	 2, 0, "block_factor * source_rate (20) is below source_burst (50)"},
	{"[sip]\nmax_calls = 1\nmax_calls = 2\n", CWCOM_EDUPLICATE, NULL, 3, 0, "given twice"},
	{"[sip]\nno_channel_shed_rate = 100001\n", -ERANGE, NULL, 2, 0, "out of range 0-100000"},
	{"[sip]\nno_channel_shed_rate = -1\n", CWCOM_ESYNTAX, NULL, 2, 0, "'-1' is not a number"},
	{"[sip]\nno_channel_shed_rate = 0\nno_channel_shed_rate = 5\n", CWCOM_EDUPLICATE, NULL, 3, 0,
	 "given twice"},
	/* admission (README.md "Admission") */
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\nallow = 192.0.2.1/24\n", CWCOM_ESYNTAX, NULL, 9, 0,
	 "allow: '192.0.2.1/24' has bits set past /24"},
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\nallow = sbc.example.net\n", CWCOM_ESYNTAX, NULL, 9,
	 0, "allow: "},
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\nallow = 10.0.0.0/8, 10.0.0.0/8\n", CWCOM_EDUPLICATE,
	 NULL, 9, 0, "allow: "},
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\ndeny = 00x\n", CWCOM_ESYNTAX, NULL, 9, 0, "deny: "},
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\ndeny = 00, 00\n", CWCOM_EDUPLICATE, NULL, 9, 0,
	 "deny: "},
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\ndeny_cause = 34\n", -ERANGE, NULL, 9, 0,
	 "deny_cause: 34 is not 21 (call rejected) or 57"},
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\nmax_call_seconds = 604801\n", -ERANGE, NULL, 9,
	 0, "out of range 0-604800"},
	{"[sip]\nmin_se = 600\n" SPAN1 "[route a]\nmatch = 0\ngroup = 1\nsession_expires = 300\n",
	 -ERANGE, NULL, 11, 0, "[route a]: session_expires (300) is below [sip] min_se (600)"},
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\nsession_expires = 30\n", -ERANGE, NULL, 9, 0,
	 "session_expires: 30 is out of range 90-86400"},
	{SPAN1 "[route a]\nmatch = 0\ngroup = 1\nrealm = a\"b\n", CWCOM_ESYNTAX, NULL, 9, 0,
	 "realm: only printable ASCII"},
	{SPAN1 "[route a]\nmatch = *\ntarget = sip:a\nallow = 10.0.0.1\n", CWCOM_ESYNTAX, NULL, 9, 0,
	 "allow, auth, realm, deny and deny_cause apply to SIP->ISDN routes"},
	{SPAN1 "[route a]\nmatch = *\ntarget = sip:a\ndeny = 00\n", CWCOM_ESYNTAX, NULL, 9, 0,
	 "apply to SIP->ISDN routes"},
	/* override files keep their own FILE:LINE:COL */
	{SPAN1 "overrides = testdata/bad.map\n", -ERANGE, "testdata/bad.map", 2, 12, "999"},
	{"[general]\noverrides = testdata/bad.map\n" SPAN1, -ERANGE, "testdata/bad.map", 2, 12,
	 "999"},
	/* dchannel = dahdi:auto: the DAHDI system.conf's FILE:LINE */
	{SYSCONF("system.conf") "[span 4]\n" AUTO_SPAN, -ENOENT, NULL, 6, 0,
	 "span 4 is not declared in testdata/system.conf"},
	{SYSCONF("absent.conf") "[span 1]\n" AUTO_SPAN, -ENOENT, NULL, 6, 0,
	 "dchannel = dahdi:auto: "},
	{SYSCONF("system-coding.conf") "[span 1]\n" AUTO_SPAN, -ENOENT,
	 "testdata/system-coding.conf", 2, 0, "coding 'b8zs' does not go with ccs framing"},
	{SYSCONF("system-two-dchan.conf") "[span 1]\n" AUTO_SPAN, CWCOM_EDUPLICATE,
	 "testdata/system-two-dchan.conf", 3, 0, "second D-channel 15 (the first, 16, at line 2)"},
	{SYSCONF("system-no-span.conf") "[span 1]\n" AUTO_SPAN, -ERANGE,
	 "testdata/system-no-span.conf", 4, 0, "channel 25 is on no span of this file"},
	{SYSCONF("system-twice.conf") "[span 1]\n" AUTO_SPAN, CWCOM_EDUPLICATE,
	 "testdata/system-twice.conf", 4, 0, "channel 31 is already configured at line 2"},
	{SYSCONF("system-no-dchan.conf") "[span 1]\n" AUTO_SPAN, CWCOM_EMISSING,
	 "testdata/system-no-dchan.conf", 1, 0, "span 1 has no D-channel"},
	{SYSCONF("system-syntax.conf") "[span 1]\n" AUTO_SPAN, CWCOM_ESYNTAX,
	 "testdata/system-syntax.conf", 4, 0, "expected 'key=value'"},
	{SYSCONF("system.conf") "[span 1]\n" AUTO_SPAN "[span 2]\nswitchtype = euroisdn\n"
	 "signalling = pri_cpe\ndchannel = dahdi:16\nbchannels = 1-15\n", CWCOM_EDUPLICATE, NULL, 10, 0,
	 "the same dchannel as [span 1] (line 6)"},
	{"[span 1]\ndchannel = dahdi:automatic\n", CWCOM_ESYNTAX, NULL, 2, 0, "is not a number"},
	{"[general]\ncapture = a.pcap\ncapture_max_bytes = 4095\n", -ERANGE, NULL, 3, 0,
	 "below 4096"},
	{"[general]\ncapture_max_bytes = 4294967296\n", -ERANGE, NULL, 2, 0, "capture_max_bytes"},
	{"[general]\ncapture = a.pcap\ncapture = b.pcap\n", CWCOM_EDUPLICATE, NULL, 3, 0,
	 "capture"},
	{"[general]\ncapture_hep = 127.0.0.1\n", CWCOM_ESYNTAX, NULL, 2, 0, "is not ADDR:PORT"},
	{"[general]\ncapture_hep = homer:9060\n", CWCOM_ESYNTAX, NULL, 2, 0,
	 "host names are not resolved"},
	{"[general]\ncapture_hep = ::1:9060\n", CWCOM_ESYNTAX, NULL, 2, 0, "bracketed IPv6"},
	{"[general]\ncapture_hep = 127.0.0.1:0\n", -ERANGE, NULL, 2, 0, "capture_hep"},
	/* [sip] dns_servers: numeric, a port 1-65535, once */
	{"[sip]\ndns_servers = ns1.example.net\n", CWCOM_ESYNTAX, NULL, 2, 0,
	 "a server's name cannot be looked up"},
	{"[sip]\ndns_servers = 127.0.0.1:0\n", -ERANGE, NULL, 2, 0, "dns_servers"},
	{"[sip]\ndns_servers = [::1\n", CWCOM_ESYNTAX, NULL, 2, 0, "is not [ADDR6][:PORT]"},
	{"[sip]\ndns_servers = 127.0.0.1,,127.0.0.2\n", CWCOM_ESYNTAX, NULL, 2, 0,
	 "is not a list of ADDR[:PORT]"},
	{"[sip]\ndns_servers = 127.0.0.1\ndns_servers = 127.0.0.2\n", CWCOM_EDUPLICATE, NULL, 3, 0,
	 "dns_servers"},
	/* credentials toward targets, [register NAME] */
	{SPAN1 "[route in]\nmatch = *\ntarget = sip:192.0.2.7\ntarget_user = gw\n", CWCOM_EMISSING,
	 NULL, 9, 0, "[route in]: target_user and target_secret go together"},
	{SPAN1 "[route in]\nmatch = *\ntarget = sip:192.0.2.7\ntarget_secret = x\n", CWCOM_EMISSING,
	 NULL, 9, 0, "go together"},
	{SPAN1 "[route out]\nmatch = *\ngroup = 1\ntarget_user = gw\ntarget_secret = x\n",
	 CWCOM_ESYNTAX, NULL, 9, 0, "target_user and target_secret apply to ISDN->SIP routes"},
	{SPAN1 "[route in]\nmatch = *\ntarget = sip:192.0.2.7\ntarget_secret = a\x01b\n",
	 CWCOM_ESYNTAX, NULL, 9, 0, "target_secret: only printable ASCII"},
	{"[register]\n", CWCOM_ESYNTAX, NULL, 1, 0, "[register] needs a name"},
	{"[regster t]\n", -ENOENT, NULL, 1, 0, "did you mean [register NAME]"},
	{SPAN1 "[register t]\naor = sip:1@example.net\n", CWCOM_EMISSING, NULL, 6, 0,
	 "[register t]: 'registrar' is missing"},
	{SPAN1 "[register t]\nregistrar = sip:192.0.2.1\n", CWCOM_EMISSING, NULL, 6, 0,
	 "[register t]: 'aor' is missing"},
	{SPAN1 "[register t]\naor = sip:example.net\n", CWCOM_ESYNTAX, NULL, 7, 0,
	 "aor: 'sip:example.net' is not sip:USER@DOMAIN"},
	{SPAN1 "[register t]\naor = tel:+4930100\n", CWCOM_ESYNTAX, NULL, 7, 0,
	 "is not sip:USER@DOMAIN"},
	{SPAN1 "[register t]\nregistrar = sip:trunk@192.0.2.1\n", CWCOM_ESYNTAX, NULL, 7, 0,
	 "has a user part"},
	{SPAN1 "[register t]\nregistrar = sip:192.0.2.1;transport=tcp\naor = sip:1@example.net\n",
	 CWCOM_ESYNTAX, NULL, 7, 0, "registrar uses tcp, which [sip] transport does not serve"},
	{SPAN1 "[register t]\nexpires = 0\n", -ERANGE, NULL, 7, 0, "expires: 0 is out of range 1-86400"},
	{SPAN1 "[register t]\nregistrar = sip:192.0.2.1\naor = sip:1@example.net\n"
	 "retry_interval = 60\nretry_max = 30\n", -ERANGE, NULL, 10, 0,
	 "retry_max (30 s) is below retry_interval (60 s)"},
	{SPAN1 "[register t]\nregistrar = sip:192.0.2.1\nregistrar = sip:192.0.2.2\n",
	 CWCOM_EDUPLICATE, NULL, 8, 0, "'registrar' given twice"},
	{SPAN1 "[register t]\nexpire = 60\n", -ENOENT, NULL, 7, 0, "did you mean 'expires'"},
	{SPAN1 "[register t]\n[register t]\n", CWCOM_EDUPLICATE, NULL, 7, 0,
	 "[register t] is defined twice (first at line 6)"},
	{SPAN1 "digital = clear\n", CWCOM_ESYNTAX, NULL, 6, 0, "digital: 'clear' is not yes or no"},
	{SPAN1 "digital = no\ndigital = no\n", CWCOM_EDUPLICATE, NULL, 7, 0, "given twice"},
};

static void test_bad_cases(void)
{
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct cwcfg_config *cfg = NULL;
		cw_diag d;
		int r;

		memset(&d, 0, sizeof(d));
		r = cwcfg_config_load_string(c->text, "t.conf", &cfg, &d);
		if (!CHECK_INT(r, c->code) || !CHECK_STR(d.file, c->file ? c->file : "t.conf") ||
		    !CHECK_INT(d.line, c->line) || !CHECK(strstr(d.message, c->substring) != NULL) ||
		    !CHECK_INT(d.code, c->code) ||
		    !(c->file ? CHECK_INT(d.column, c->column) : CHECK(1)))
			fprintf(stderr, "  case %zu: got %s:%u:%u: %s\n", i, d.file, d.line, d.column,
			        d.message);
		CHECK(cfg == NULL);
	}
}

/* A long line, too many spans, too many routes. */
static void test_limits(void)
{
	struct cwcfg_config *cfg = NULL;
	char *text = malloc(200000);
	size_t used = 0;
	cw_diag d;
	int i;

	if (!CHECK(text != NULL))
		return;
	snprintf(text, 200000, "[sip]\nuser_agent = %0190d\n", 0);
	CHECK_INT(cwcfg_config_load_string(text, "t.conf", &cfg, &d), CWCOM_ELIMIT);
	CHECK_INT(d.line, 2);
	CHECK(strstr(d.message, "line longer than 190 characters") != NULL);

	for (i = 1; i <= 65; i++)
		used += (size_t)snprintf(text + used, 200000 - used,
		                         "[span %d]\nswitchtype = qsig\nsignalling = pri_net\n"
		                         "dchannel = dahdi:%d\nbchannels = 1-23\n",
		                         i, i * 24);
	CHECK_INT(cwcfg_config_load_string(text, "t.conf", &cfg, &d), CWCOM_ELIMIT);
	CHECK_INT(d.line, 64 * 5 + 1);
	CHECK(strstr(d.message, "more than 64 spans") != NULL);

	used = (size_t)snprintf(text, 200000, "%s", SPAN1);
	for (i = 1; i <= 257; i++)
		used += (size_t)snprintf(text + used, 200000 - used,
		                         "[route r%d]\nmatch = %d\ntarget = sip:h%d\n", i, i, i);
	CHECK_INT(cwcfg_config_load_string(text, "t.conf", &cfg, &d), CWCOM_ELIMIT);
	CHECK_INT(d.line, 5 + 256 * 3 + 1);
	CHECK(strstr(d.message, "more than 256 routes") != NULL);

	/* 64 spans and 256 routes are fine */
	used = 0;
	for (i = 1; i <= 64; i++)
		used += (size_t)snprintf(text + used, 200000 - used,
		                         "[span %d]\nswitchtype = qsig\nsignalling = pri_net\n"
		                         "dchannel = dahdi:%d\nbchannels = 1-23\n",
		                         i, i * 24);
	for (i = 1; i <= 256; i++)
		used += (size_t)snprintf(text + used, 200000 - used,
		                         "[route r%d]\nmatch = %d\ntarget = sip:h%d\n", i, i, i);
	if (CHECK_INT(cwcfg_config_load_string(text, "t.conf", &cfg, &d), 0)) {
		CHECK_INT(cfg->n_spans, 64);
		CHECK_INT(cfg->n_routes, 256);
		cwcfg_config_free(cfg);
	}
	free(text);
}

static void test_defaults(void)
{
	struct cwcfg_config *cfg = NULL;
	const cw_profile *rfc3398;
	cw_diag d;
	size_t i;

	if (!CHECK_INT(cwcfg_config_load_string(SPAN1 "[span 2]\nswitchtype = ni2\n"
	                                            "signalling = pri_net\n"
	                                            "dchannel = socket:s2.sock\nbchannels = 1-23\n",
	                                            "/etc/cw/t.conf", &cfg, &d),
	               0))
		return;
	CHECK_INT(cfg->general.log_level, CWCFG_LOG_NOTICE);
	CHECK_STR(cfg->general.profile_name, "rfc3398");
	CHECK(cfg->general.pidfile == NULL);
	CHECK(cfg->general.cdr_file == NULL);
	CHECK(cfg->general.metrics_address == NULL); /* no metrics server unless asked */
	CHECK(cfg->general.overrides == NULL);
	CHECK_STR(cfg->sip.bind, "0.0.0.0");
	CHECK_INT(cfg->sip.port, 5060);
	CHECK_INT(cfg->sip.transports, CWCFG_TRANSPORT_UDP);
	CHECK_INT(cfg->sip.retry_after, 30);
	CHECK_INT(cfg->sip.invite_timeout, 32000);
	CHECK_INT(cfg->sip.invite_timeout_line, 0);
	CHECK_INT(cfg->sip.interwork_timeout, 10000);
	CHECK_INT(cfg->sip.interwork_timeout_line, 0);
	CHECK_INT(cfg->sip.session_expires, 1800);
	CHECK_INT(cfg->sip.redirect_headers, CWCFG_REDIRECT_DIVERSION);
	CHECK_INT(cfg->sip.max_redirects, 3);
	CHECK_INT(cfg->sip.min_se, 90);
	CHECK_INT(cfg->sip.session_refresher, CWCFG_REFRESHER_BRIDGE);
	CHECK_INT(cfg->sip.dtmf, CWCFG_DTMF_RFC4733);
	CHECK_INT(cfg->sip.tls_port, 5061);
	CHECK_INT(cfg->sip.tls_min_version, 12);
	CHECK_INT(cfg->sip.tls_verify_client, 0);
	CHECK(cfg->sip.tls_certificate == NULL && cfg->sip.tls_ca_file == NULL);
	CHECK_INT(cfg->spans[0].early_release, 1);
	CHECK_INT(cfg->spans[0].early_release_line, 0);
	CHECK_INT(cfg->sip.rtp_port_low, 20000);
	CHECK_INT(cfg->sip.rtp_port_high, 29999);
	CHECK(cfg->sip.media_address == NULL);
	CHECK_INT(cfg->spans[0].audio_kind, CWCFG_AUDIO_NONE);
	CHECK(strncmp(cfg->sip.user_agent, "causeway-bridge/", 16) == 0);
	CHECK_INT(cfg->n_spans, 2);
	CHECK_INT(cfg->spans[0].number, 1);
	CHECK_INT(cfg->spans[0].line, 1);
	CHECK_INT(cfg->spans[0].switchtype_line, 2);
	CHECK_INT(cfg->spans[0].bchannels_line, 5);
	CHECK_STR(cfg->spans[0].group, "1");
	CHECK_INT(cfg->spans[0].location, CW_LOC_LPN);
	CHECK_INT(cfg->spans[0].dchannel_kind, CWCFG_DCHAN_DAHDI);
	CHECK_INT(cfg->spans[0].dchannel_channo, 16);
	CHECK_INT(cfg->spans[0].bchannels, 0xfffefffeUL);
	CHECK(cw_profile_get("rfc3398", &rfc3398) == 0 && cfg->spans[0].profile == rfc3398);
	for (i = 0; i < CWCFG_TIMER_COUNT; i++)
		CHECK_INT(cfg->spans[0].timers[i], -1);
	CHECK_STR(cfg->spans[1].group, "2");
	CHECK_INT(cfg->spans[1].switchtype, CWCFG_SWITCH_NI2);
	CHECK_INT(cfg->spans[1].signalling, CWCFG_PRI_NET);
	CHECK_INT(cfg->spans[1].location, CW_LOC_LN);
	CHECK_INT(cfg->spans[1].dchannel_kind, CWCFG_DCHAN_SOCKET);
	CHECK_STR(cfg->spans[1].dchannel_path, "/etc/cw/s2.sock");
	CHECK_INT(cfg->n_routes, 0);
	/* no route: allowed, with one warning per direction */
	CHECK_INT(cfg->n_warnings, 2);
	CHECK(strstr(cfg->warnings[0].message, "no ISDN->SIP route") != NULL);
	CHECK(strstr(cfg->warnings[1].message, "no SIP->ISDN route") != NULL);
	cwcfg_config_free(cfg);

	/* route defaults, "national" alias, case-insensitive keys, timers, warnings */
	if (!CHECK_INT(cwcfg_config_load_string(
	                   "[SPAN 7]\nSwitchType = national\nsignalling = pri_net\n"
	                   "dchannel = dahdi:24\nbchannels = 1-23\nt310 = 10000\nk = 7\n"
	                   "[route r]\nmatch = 0\ngroup = 7\nallow = 127.0.0.1\n"
	                   "[route i]\nmatch = *\ntarget = sip:h;transport=tcp\n"
	                   "[sip]\ninterwork_timeout = 2500\n"
	                   "session_expires = 0\nmin_se = 120\nsession_refresher = Peer\n"
	                   "dtmf = InBand\n"
	                   "[span 8]\nswitchtype = ni2\nsignalling = pri_cpe\ndchannel = dahdi:48\n"
	                   "bchannels = 1-23\nearly_release = No\nhunting = Round-Robin\n",
	                   "t.conf", &cfg, &d),
	               0))
		return;
	CHECK_INT(cfg->spans[0].switchtype, CWCFG_SWITCH_NI2);
	CHECK_INT(cfg->spans[0].timers[CWCFG_T310], 10000);
	CHECK_INT(cfg->spans[0].timer_lines[CWCFG_T310], 6);
	CHECK_INT(cfg->spans[0].timers[CWCFG_K], 7);
	CHECK_INT(cfg->routes[0].direction, CWCFG_SIP_TO_ISDN);
	CHECK_INT(cfg->routes[0].strip, 0);
	CHECK_STR(cfg->routes[0].prefix, "");
	CHECK_INT(cfg->routes[0].ton, CWCFG_TON_UNKNOWN);
	CHECK_INT(cfg->routes[0].npi, CWCFG_NPI_ISDN);
	CHECK_INT(cfg->routes[1].direction, CWCFG_ISDN_TO_SIP);
	CHECK_STR(cfg->routes[1].match, "");
	CHECK_INT(cfg->routes[1].targets[0].transport, CWCFG_TRANSPORT_TCP);
	CHECK_INT(cfg->routes[1].targets[0].port, 0);
	CHECK_INT(cfg->sip.interwork_timeout, 2500);
	CHECK_INT(cfg->sip.interwork_timeout_line, 16);
	CHECK_INT(cfg->sip.session_expires, 0);
	CHECK_INT(cfg->sip.min_se, 120);
	CHECK_INT(cfg->sip.session_refresher, CWCFG_REFRESHER_PEER);
	CHECK_INT(cfg->sip.session_refresher_line, 19);
	CHECK_INT(cfg->sip.dtmf, CWCFG_DTMF_INBAND);
	CHECK_INT(cfg->sip.dtmf_line, 20);
	CHECK_INT(cfg->spans[0].early_release, 1);
	CHECK_INT(cfg->spans[1].early_release, 0);
	CHECK_INT(cfg->spans[1].early_release_line, 26);
	CHECK_INT(cfg->spans[0].hunting, CWCFG_HUNT_ASCENDING);
	CHECK_INT(cfg->spans[0].hunting_line, 0);
	CHECK_INT(cfg->spans[1].hunting, CWCFG_HUNT_ROUND_ROBIN);
	CHECK_INT(cfg->spans[1].hunting_line, 27);
	/* tcp target with udp-only [sip] (channel 16 on E1: test_switchtype_bchannels()) */
	CHECK_INT(cfg->n_warnings, 1);
	CHECK_INT(cfg->warnings[0].line, 14);
	CHECK(strstr(cfg->warnings[0].message, "does not listen on") != NULL);
	cwcfg_config_free(cfg);
}

static char *dump_to_string(const struct cwcfg_config *cfg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	cwcfg_config_dump(cfg, f);
	fclose(f);
	return buf;
}

/* [sip] dns_servers: the list as c-ares takes it (ports filled in), the dump; a target by
 * host name keeps whether its transport was said (RFC 3263 §4.1: NAPTR only without). */
static void test_dns_servers(void)
{
	struct cwcfg_config *cfg = NULL;
	cw_diag d;
	char *dump;

	memset(&d, 0, sizeof(d));
	if (!CHECK_INT(cwcfg_config_load_string("[sip]\ndns_servers = 127.0.0.1, [::1]:5353 ,"
	                                        "192.0.2.53:53\n" SPAN1
	                                        "[route a]\nmatch = *\ntarget = sip:gw.test\n"
	                                        "target = sip:gw.test;transport=tcp\n"
	                                        "target = sips:gw.test\n",
	                                        "/etc/cw/t.conf", &cfg, &d), 0))
		return;
	CHECK_STR(cfg->sip.dns_servers, "127.0.0.1:53,[::1]:5353,192.0.2.53:53");
	if (CHECK_INT(cfg->n_routes, 1) && CHECK_INT(cfg->routes[0].n_targets, 3)) {
		CHECK_INT(cfg->routes[0].targets[0].transport_given, 0);
		CHECK_INT(cfg->routes[0].targets[1].transport_given, 1);
		CHECK_INT(cfg->routes[0].targets[2].transport_given, 1);
	}
	dump = dump_to_string(cfg);
	CHECK(dump && strstr(dump, "\ndns_servers = 127.0.0.1:53,[::1]:5353,192.0.2.53:53\n"));
	free(dump);
	cwcfg_config_free(cfg);
}

/* [general] capture, capture_max_bytes: the path resolved, the dump, the warning. */
static void test_capture(void)
{
	struct cwcfg_config *cfg = NULL;
	cw_diag d;
	char *dump;

	memset(&d, 0, sizeof(d));
	if (!CHECK_INT(cwcfg_config_load_string("[general]\ncapture = cap/x.pcap\n"
	                                        "capture_max_bytes = 65536\n"
	                                        "capture_hep = [::1]:9060\n" SPAN1,
	                                        "/etc/cw/t.conf", &cfg, &d), 0))
		return;
	CHECK_STR(cfg->general.capture, "/etc/cw/cap/x.pcap");
	CHECK_INT(cfg->general.capture_max_bytes, 65536);
	CHECK_STR(cfg->general.capture_hep, "[::1]:9060");
	dump = dump_to_string(cfg);
	CHECK(dump && strstr(dump, "\ncapture = /etc/cw/cap/x.pcap\ncapture_max_bytes = 65536\n"
	                           "capture_hep = [::1]:9060\n"));
	free(dump);
	cwcfg_config_free(cfg);

	cfg = NULL;
	if (!CHECK_INT(cwcfg_config_load_string("[general]\ncapture_max_bytes = 0\n" SPAN1,
	                                        "/etc/cw/t.conf", &cfg, &d), 0))
		return;
	CHECK(cfg->general.capture == NULL);
	{
		size_t i, found = 0;
		for (i = 0; i < cfg->n_warnings; i++)
			found += strstr(cfg->warnings[i].message, "capture_max_bytes without capture") &&
			         cfg->warnings[i].line == 2;
		CHECK_INT(found, 1);
	}
	dump = dump_to_string(cfg);
	CHECK(dump && !strstr(dump, "\ncapture ="));
	free(dump);
	cwcfg_config_free(cfg);
}

static void test_example(void)
{
	struct cwcfg_config *cfg = NULL, *again = NULL;
	const struct cwcfg_route *r;
	const cw_profile *rfc4497;
	cw_sip_result res;
	char *d1, *d2;
	cw_diag d;

	memset(&d, 0, sizeof(d));
	if (!CHECK_INT(cwcfg_config_load("causeway-bridge.conf.example", &cfg, &d), 0)) {
		fprintf(stderr, "  %s:%u:%u: %s\n", d.file, d.line, d.column, d.message);
		return;
	}
	CHECK_INT(cfg->n_warnings, 0);
	CHECK_INT(cfg->general.log_level, CWCFG_LOG_NOTICE);
	CHECK(cfg->general.pidfile == NULL); /* the systemd unit tracks the pid: none by default */
	CHECK_STR(cfg->general.overrides, "testdata/site.map");
	CHECK_INT(cfg->sip.transports, CWCFG_TRANSPORT_UDP | CWCFG_TRANSPORT_TCP);
	CHECK_STR(cfg->sip.user_agent, "causeway-bridge");
	CHECK_INT(cfg->n_spans, 3);
	CHECK_STR(cfg->spans[0].group, "carrier");
	CHECK_INT(cfg->spans[0].timers[CWCFG_T310], 30000);
	CHECK_INT(cfg->spans[0].timers[CWCFG_T301], 180000);
	CHECK(cfg->spans[0].timer_lines[CWCFG_T301] > cfg->spans[0].timer_lines[CWCFG_T310]);
	CHECK_INT(cfg->spans[1].timers[CWCFG_T301], -1);
	CHECK_INT(cfg->sip.invite_timeout, 32000);
	CHECK(cfg->sip.invite_timeout_line > 0);
	CHECK_INT(cfg->spans[1].dchannel_channo, 47);
	CHECK_STR(cfg->spans[0].overrides, "testdata/site.map");
	/* the override file is layered over rfc3398: cause 34 -> 503, by site.map:2 */
	if (CHECK_INT(cw_map_cause_to_sip(cfg->spans[0].profile, 34, CW_LOCATION_UNKNOWN, 0, &res),
	              0)) {
		CHECK_INT(res.status, 503);
		CHECK_STR(res.rule->file, "testdata/site.map");
		CHECK_INT(res.rule->line, 2);
	}
	CHECK(cw_profile_get("rfc4497", &rfc4497) == 0 && cfg->spans[2].profile == rfc4497);
	CHECK(cfg->spans[2].overrides == NULL);
	CHECK_INT(cfg->spans[2].location, CW_LOC_LN);
	CHECK_STR(cfg->spans[2].dchannel_path, "/run/causeway/span3.sock");
	CHECK_INT(cfg->n_routes, 4);
	CHECK_INT(cfg->routes[0].n_targets, 2);
	CHECK_STR(cfg->routes[0].targets[0].host, "10.0.0.5");
	CHECK_INT(cfg->routes[0].targets[0].port, 5060);
	CHECK_STR(cfg->routes[0].targets[1].host, "sbc2.example.net");
	CHECK_INT(cfg->routes[0].targets[1].transport, CWCFG_TRANSPORT_TCP);
	CHECK_STR(cfg->routes[0].prefix, "+49");
	CHECK_INT(cfg->routes[0].strip, 2);
	CHECK_STR(cfg->routes[1].targets[0].host, "2001:db8::5");
	CHECK_INT(cfg->routes[1].targets[0].port, 5080);
	CHECK_INT(cfg->routes[3].ton, CWCFG_TON_SUBSCRIBER);
	CHECK_INT(cfg->routes[3].npi, CWCFG_NPI_PRIVATE);

	r = cwcfg_route_find(cfg, CWCFG_ISDN_TO_SIP, "4930123456");
	CHECK(r && strcmp(r->name, "berlin") == 0);
	r = cwcfg_route_find(cfg, CWCFG_ISDN_TO_SIP, "4989");
	CHECK(r && strcmp(r->name, "default-in") == 0);
	r = cwcfg_route_find(cfg, CWCFG_SIP_TO_ISDN, "0301234");
	CHECK(r && strcmp(r->name, "carrier-out") == 0);
	r = cwcfg_route_find(cfg, CWCFG_SIP_TO_ISDN, "2001");
	CHECK(r && strcmp(r->name, "pbx-out") == 0);
	CHECK(cwcfg_route_find(cfg, CWCFG_SIP_TO_ISDN, "999") == NULL);

	/* the dump is a config file that loads to the same dump */
	d1 = dump_to_string(cfg);
	if (CHECK(d1 != NULL) &&
	    CHECK_INT(cwcfg_config_load_string(d1, "dump.conf", &again, &d), 0)) {
		d2 = dump_to_string(again);
		CHECK(d2 && strcmp(strchr(d1, '\n'), strchr(d2, '\n')) == 0);
		free(d2);
		cwcfg_config_free(again);
	}
	free(d1);
	cwcfg_config_free(cfg);
}

/* A real file: errors name its path; the --check-config entry point. */
static void test_file_and_check(void)
{
	char path[] = "/tmp/cw-bridge-config-XXXXXX";
	char want[128], *out = NULL, *err = NULL;
	size_t out_len = 0, err_len = 0;
	struct cwcfg_config *cfg = NULL;
	FILE *fo, *fe;
	cw_diag d;
	int fd = mkstemp(path);

	if (!CHECK(fd >= 0))
		return;
	CHECK(write(fd, SPAN1 "bchannels = 1\n", sizeof(SPAN1 "bchannels = 1\n") - 1) > 0);
	close(fd);
	CHECK_INT(cwcfg_config_load(path, &cfg, &d), CWCOM_EDUPLICATE);
	CHECK_STR(d.file, path);
	CHECK_INT(d.line, 6);

	fo = open_memstream(&out, &out_len);
	fe = open_memstream(&err, &err_len);
	if (CHECK(fo && fe)) {
		CHECK_INT(cwcfg_config_check(path, fo, fe), 2);
		fclose(fo);
		fclose(fe);
		snprintf(want, sizeof(want), "%s:6: error: [span 1]: 'bchannels' given twice", path);
		CHECK(err && strncmp(err, want, strlen(want)) == 0);
		CHECK_INT(out_len, 0);
	}
	free(out);
	free(err);
	unlink(path);

	CHECK_INT(cwcfg_config_load(path, &cfg, &d), -ENOENT);
	CHECK_STR(d.file, path);
	CHECK_INT(d.line, 0);
	CHECK(strstr(d.message, "cannot open") != NULL);

	out = NULL;
	err = NULL;
	fo = open_memstream(&out, &out_len);
	fe = open_memstream(&err, &err_len);
	if (CHECK(fo && fe)) {
		CHECK_INT(cwcfg_config_check("causeway-bridge.conf.example", fo, fe), 0);
		fclose(fo);
		fclose(fe);
		CHECK(out && strstr(out, "[span 3]\nswitchtype = ni2\nsignalling = pri_net\n"));
		CHECK_INT(err_len, 0);
	}
	free(out);
	free(err);
}

/* trusted_peers blocks, IPv4 and IPv6, and the IPv4-mapped form of an IPv4 peer. */
static void test_trusted_peers(void)
{
	static const char text[] = SPAN1 "[route in]\nmatch = *\ngroup = 1\n"
	                           "trusted_peers = 192.0.2.7, 10.0.0.0/8,2001:db8::/32 "
	                           "::ffff:198.51.100.0/120\n"
	                           "[route out]\nmatch = *\ntarget = sip:a\ntrust_identity = yes\n";
	struct cwcfg_config *cfg = NULL;
	const struct cwcfg_route *in, *out;
	cw_diag d;

	memset(&d, 0, sizeof(d));
	if (!CHECK_INT(cwcfg_config_load_string(text, "t.conf", &cfg, &d), 0)) {
		fprintf(stderr, "  %s\n", d.message);
		return;
	}
	in = cwcfg_route_find(cfg, CWCFG_SIP_TO_ISDN, "1");
	out = cwcfg_route_find(cfg, CWCFG_ISDN_TO_SIP, "1");
	if (CHECK(in && out)) {
		CHECK_INT(in->n_trusted_peers, 4);
		/* RFC 4291 §2.5.5.2: a mapped block is the IPv4 block, for either form of a peer */
		CHECK(cwcfg_route_trusts_peer(in, "198.51.100.9"));
		CHECK(cwcfg_route_trusts_peer(in, "::ffff:198.51.100.9"));
		CHECK(!cwcfg_route_trusts_peer(in, "198.51.101.9"));
		CHECK_INT(in->trust_identity, 0);
		CHECK_INT(out->trust_identity, 1);
		CHECK_INT(out->n_trusted_peers, 0);
		CHECK(cwcfg_route_trusts_peer(in, "192.0.2.7"));
		CHECK(!cwcfg_route_trusts_peer(in, "192.0.2.8"));
		CHECK(cwcfg_route_trusts_peer(in, "10.255.0.1"));
		CHECK(!cwcfg_route_trusts_peer(in, "11.0.0.1"));
		CHECK(cwcfg_route_trusts_peer(in, "::ffff:10.1.2.3"));
		CHECK(cwcfg_route_trusts_peer(in, "2001:db8:1::5"));
		CHECK(!cwcfg_route_trusts_peer(in, "2001:db9::5"));
		CHECK(!cwcfg_route_trusts_peer(in, "not-an-ip"));
		CHECK(!cwcfg_route_trusts_peer(in, NULL));
		CHECK(!cwcfg_route_trusts_peer(out, "192.0.2.7"));
	}
	cwcfg_config_free(cfg);
}

/* allow, deny, deny_cause, max_call_seconds; deny by default is a warning, not an error. */
static void test_admission(void)
{
	static const char text[] = SPAN1 "[route out]\nmatch = 0\ngroup = 1\n"
	                           "allow = 127.0.0.1, 10.0.0.0/8, 2001:db8::/32\n"
	                           "deny = 00, 0900\ndeny_cause = 57\nmax_call_seconds = 3600\n"
	                           "[route closed]\nmatch = 1\ngroup = 1\n"
	                           "[route in]\nmatch = *\ntarget = sip:a\nmax_call_seconds = 60\n"
	                           "session_expires = 0\n";
	struct cwcfg_config *cfg = NULL;
	const struct cwcfg_route *out, *closed, *in;
	struct cwp_addr a;
	cw_diag d;

	memset(&d, 0, sizeof(d));
	if (!CHECK_INT(cwcfg_config_load_string(text, "t.conf", &cfg, &d), 0)) {
		fprintf(stderr, "  %s\n", d.message);
		return;
	}
	out = cwcfg_route_find(cfg, CWCFG_SIP_TO_ISDN, "0301234");
	closed = cwcfg_route_find(cfg, CWCFG_SIP_TO_ISDN, "1234");
	in = cwcfg_route_find(cfg, CWCFG_ISDN_TO_SIP, "1");
	if (CHECK(out && closed && in)) {
		CHECK_INT(out->n_allow, 3);
		CHECK_INT(out->deny_cause, 57);
		CHECK_INT(out->max_call_seconds, 3600);
		CHECK_INT(closed->deny_cause, 21);
		CHECK_INT(closed->max_call_seconds, 0);
		CHECK_INT(in->max_call_seconds, 60);
		CHECK_INT(in->session_expires, 0);    /* RFC 4028: asks for none on this route */
		CHECK_INT(in->session_expires_line, 20);
		CHECK_INT(out->session_expires_line, 0); /* [sip]'s */
		CHECK(cwp_addr_parse("127.0.0.1", &a) == 0 && cwcfg_route_allows_source(out, &a));
		CHECK(cwp_addr_parse("::ffff:10.9.8.7", &a) == 0 && cwcfg_route_allows_source(out, &a));
		CHECK(cwp_addr_parse("127.0.0.2", &a) == 0 && !cwcfg_route_allows_source(out, &a));
		CHECK(!cwcfg_route_allows_source(closed, &a));
		CHECK(cwcfg_route_denies_number(out, "0301234") == NULL);
		CHECK(cwcfg_route_denies_number(out, "00441234") != NULL &&
		      strcmp(cwcfg_route_denies_number(out, "00441234")->digits, "00") == 0);
		CHECK(cwcfg_route_denies_number(out, "0900123") != NULL);
		CHECK(cwcfg_route_denies_number(closed, "00441234") == NULL);
	}
	/* the closed route: one warning, on its section header */
	CHECK_INT(cfg->n_warnings, 1);
	if (cfg->n_warnings == 1) {
		CHECK_INT(cfg->warnings[0].line, 13);
		CHECK(strstr(cfg->warnings[0].message, "[route closed]: neither allow nor auth") != NULL);
	}
	cwcfg_config_free(cfg);
}

static void test_channels(void)
{
	static const struct {
		const char *text;
		int code;
		unsigned long set;
		const char *canonical;
	} v[] = {
		{"1-15,17-31", 0, 0xfffefffeUL, "1-15,17-31"},
		{"1-23", 0, 0x00fffffeUL, "1-23"},
		{"1,2", 0, 0x6UL, "1-2"},
		{"31", 0, 1UL << 31, "31"},
		{" 1 - 3 , 5 ", 0, 0x2eUL, "1-3,5"},
		{"5,1-3", 0, 0x2eUL, "1-3,5"},
		{"1-1", 0, 0x2UL, "1"},
		{"", CWCOM_ESYNTAX, 0, NULL},
		{",", CWCOM_ESYNTAX, 0, NULL},
		{"1,", CWCOM_ESYNTAX, 0, NULL},
		{"1-", CWCOM_ESYNTAX, 0, NULL},
		{"-3", CWCOM_ESYNTAX, 0, NULL},
		{"a", CWCOM_ESYNTAX, 0, NULL},
		{"1;2", CWCOM_ESYNTAX, 0, NULL},
		{"0", -ERANGE, 0, NULL},
		{"32", -ERANGE, 0, NULL},
		{"99999999999999999999", -ERANGE, 0, NULL},
		{"3-2", CWCOM_ESYNTAX, 0, NULL},
		{"1-5,5", CWCOM_EDUPLICATE, 0, NULL},
		{"1-15,15-31", CWCOM_EDUPLICATE, 0, NULL},
	};
	char buf[128], msg[128];
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		unsigned long set = 12345;
		int r = cwcfg_channels_parse(v[i].text, &set, msg, sizeof(msg));
		if (!CHECK_INT(r, v[i].code))
			fprintf(stderr, "  vector '%s'\n", v[i].text);
		if (v[i].code == 0) {
			CHECK_INT(set, v[i].set);
			cwcfg_channels_format(set, buf, sizeof(buf));
			CHECK_STR(buf, v[i].canonical);
		} else {
			CHECK_INT(set, 12345); /* untouched on failure */
		}
	}
	CHECK_INT(cwcfg_channels_format(0xfffefffeUL, buf, 4), strlen("1-15,17-31"));
	CHECK_STR(buf, "1-1");
}

/*
 * Golden files: what the loader printed when they were written, byte for
 * byte. CW_GOLDEN_UPDATE=1 in the environment writes them instead (as in
 * bridge/core; run in bridge/config/); review the diff before committing.
 */
static void check_golden(const char *path, const char *got)
{
	char *want = NULL;
	size_t len = 0;
	FILE *f;
	const char *update = getenv("CW_GOLDEN_UPDATE");

	if (update && update[0] && strcmp(update, "0") != 0) {
		f = fopen(path, "w");
		if (CHECK(f != NULL)) {
			fputs(got, f);
			CHECK(fclose(f) == 0);
		}
		return;
	}
	f = fopen(path, "r");
	if (!CHECK(f != NULL))
		return;
	want = malloc(1 << 20);
	if (CHECK(want != NULL)) {
		len = fread(want, 1, (1 << 20) - 1, f);
		want[len] = '\0';
		if (!CHECK(strcmp(got, want) == 0))
			fprintf(stderr, "  %s differs (CW_GOLDEN_UPDATE=1 rewrites it); got:\n%s", path,
			        got);
	}
	free(want);
	fclose(f);
}

/* Every broken case as --check-config prints it, and the example's dump. */
static void test_golden(void)
{
	struct cwcfg_config *cfg = NULL;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *out;
	cw_diag d;

	out = open_memstream(&buf, &len);
	if (!CHECK(out != NULL))
		return;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		memset(&d, 0, sizeof(d));
		CHECK(cwcfg_config_load_string(bad_cases[i].text, "t.conf", &cfg, &d) < 0);
		if (d.column)
			fprintf(out, "%s:%u:%u: error: %s\n", d.file, d.line, d.column, d.message);
		else
			fprintf(out, "%s:%u: error: %s\n", d.file, d.line, d.message);
	}
	fclose(out);
	check_golden("testdata/errors.golden", buf);
	free(buf);

	memset(&d, 0, sizeof(d));
	if (!CHECK_INT(cwcfg_config_load("causeway-bridge.conf.example", &cfg, &d), 0))
		return;
	buf = NULL;
	out = open_memstream(&buf, &len);
	if (CHECK(out != NULL)) {
		cwcfg_config_dump(cfg, out);
		fclose(out);
		check_golden("testdata/example.dump", buf);
		free(buf);
	}
	cwcfg_config_free(cfg);
}

/* dchannel = dahdi:auto: D-channel and B-channels from the DAHDI system.conf. */
static void test_system_conf(void)
{
	static const char text[] = SYSCONF("system.conf")
		"[span 1]\n" AUTO_SPAN "bchannels = 1-10\n"
		"[span 2]\n" AUTO_SPAN
		"[span 3]\nswitchtype = ni2\nsignalling = pri_cpe\ndchannel = dahdi:auto\n";
	struct cwcfg_config *cfg = NULL;
	char chans[128], *buf = NULL;
	size_t len = 0;
	FILE *out;
	cw_diag d;

	memset(&d, 0, sizeof(d));
	if (!CHECK_INT(cwcfg_config_load_string(text, "t.conf", &cfg, &d), 0)) {
		fprintf(stderr, "  %s:%u: %s\n", d.file, d.line, d.message);
		return;
	}
	CHECK_INT(cfg->n_spans, 3);
	/* span 1: dchan=16; its own bchannels win over system.conf's */
	CHECK_INT(cfg->spans[0].dchannel_kind, CWCFG_DCHAN_DAHDI);
	CHECK_INT(cfg->spans[0].dchannel_channo, 16);
	cwcfg_channels_format(cfg->spans[0].bchannels, chans, sizeof(chans));
	CHECK_STR(chans, "1-10");
	/* span 2: hardhdlc=47, bchan=32-46,48-62 are its positions 1-15,17-31 */
	CHECK_INT(cfg->spans[1].dchannel_channo, 47);
	cwcfg_channels_format(cfg->spans[1].bchannels, chans, sizeof(chans));
	CHECK_STR(chans, "1-15,17-31");
	/* span 3: a T1 after two E1s: channels 63-86, dchan=86 */
	CHECK_INT(cfg->spans[2].dchannel_channo, 86);
	cwcfg_channels_format(cfg->spans[2].bchannels, chans, sizeof(chans));
	CHECK_STR(chans, "1-23");
	/* the dump is a config of its own: the numbers resolved, the source said */
	out = open_memstream(&buf, &len);
	if (CHECK(out != NULL)) {
		cwcfg_config_dump(cfg, out);
		fclose(out);
		CHECK(strstr(buf, "dahdi_system_conf = testdata/system.conf\n") != NULL);
		CHECK(strstr(buf, "dchannel = dahdi:47 ; dahdi:auto, from the DAHDI system.conf\n") != NULL);
		free(buf);
	}
	cwcfg_config_free(cfg);
}

/* TLS keys, sips: and ;transport=tls targets, and their dump (golden). */
static void test_tls(void)
{
	static const char text[] =
		SPAN1
		"[sip]\ntransport = udp,tcp,tls\ntls_port = 5071\n"
		"tls_certificate = testdata/tls-cert.pem\ntls_private_key = testdata/tls-key.pem\n"
		"tls_ca_file = testdata/tls-cert.pem\ntls_verify_client = yes\ntls_min_version = 1.3\n"
		"[route in]\nmatch = *\ntarget = sips:192.0.2.7\n"
		"target = sip:192.0.2.8:5062;transport=tls\ntarget = sips:192.0.2.9;transport=tcp\n"
		"[route out]\nmatch = *\ngroup = 1\n";
	struct cwcfg_config *cfg = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;
	cw_diag d;

	memset(&d, 0, sizeof(d));
	if (!CHECK_INT(cwcfg_config_load_string(text, "tls.conf", &cfg, &d), 0)) {
		fprintf(stderr, "  %s:%u: %s\n", d.file, d.line, d.message);
		return;
	}
	CHECK_INT(cfg->sip.transports,
	          CWCFG_TRANSPORT_UDP | CWCFG_TRANSPORT_TCP | CWCFG_TRANSPORT_TLS);
	CHECK_INT(cfg->sip.tls_port, 5071);
	CHECK_STR(cfg->sip.tls_certificate, "testdata/tls-cert.pem");
	CHECK_STR(cfg->sip.tls_private_key, "testdata/tls-key.pem");
	CHECK_STR(cfg->sip.tls_ca_file, "testdata/tls-cert.pem");
	CHECK(cfg->sip.tls_ca_dir == NULL);
	CHECK_INT(cfg->sip.tls_verify_client, 1);
	CHECK_INT(cfg->sip.tls_min_version, 13);
	CHECK_INT(cfg->routes[0].targets[0].transport, CWCFG_TRANSPORT_TLS);
	CHECK_INT(cfg->routes[0].targets[0].sips, 1);
	CHECK_STR(cfg->routes[0].targets[0].host, "192.0.2.7");
	CHECK_INT(cfg->routes[0].targets[1].transport, CWCFG_TRANSPORT_TLS);
	CHECK_INT(cfg->routes[0].targets[1].sips, 0);
	CHECK_INT(cfg->routes[0].targets[1].port, 5062);
	CHECK_INT(cfg->routes[0].targets[2].transport, CWCFG_TRANSPORT_TLS);
	CHECK_INT(cfg->routes[0].targets[2].sips, 1);
	out = open_memstream(&buf, &len);
	if (CHECK(out != NULL)) {
		cwcfg_config_dump(cfg, out);
		fclose(out);
		check_golden("testdata/tls.dump", buf);
		free(buf);
	}
	cwcfg_config_free(cfg);
}

/* [general] metrics: IPv4 and bracketed IPv6 with their port, as the dump writes them back. */
static void test_metrics(void)
{
	static const char *const texts[] = {
		"[general]\nmetrics = 127.0.0.1:9464\n" SPAN1,
		"[general]\nmetrics = [::1]:0\n" SPAN1,
	};
	static const char *const addrs[] = { "127.0.0.1", "::1" };
	static const unsigned ports[] = { 9464, 0 };
	static const char *const lines[] = { "metrics = 127.0.0.1:9464\n", "metrics = [::1]:0\n" };

	for (size_t i = 0; i < 2; i++) {
		struct cwcfg_config *cfg = NULL;
		char *dump;
		cw_diag d;

		memset(&d, 0, sizeof(d));
		if (!CHECK_INT(cwcfg_config_load_string(texts[i], "m.conf", &cfg, &d), 0)) {
			fprintf(stderr, "  %s:%u: %s\n", d.file, d.line, d.message);
			continue;
		}
		CHECK_STR(cfg->general.metrics_address, addrs[i]);
		CHECK_INT(cfg->general.metrics_port, ports[i]);
		CHECK_INT(cfg->general.metrics_line, 2);
		dump = dump_to_string(cfg);
		CHECK(dump != NULL && strstr(dump, lines[i]) != NULL);
		free(dump);
		cwcfg_config_free(cfg);
	}
}

/* [general] node (docs/scale-out.md): the name, the dump; none by default. */
static void test_node(void)
{
	struct cwcfg_config *cfg = NULL;
	char *dump;
	cw_diag d;

	memset(&d, 0, sizeof(d));
	if (!CHECK_INT(cwcfg_config_load_string("[general]\nnode = gw-a.fra1\n" SPAN1, "n.conf",
	                                        &cfg, &d), 0))
		return;
	CHECK_STR(cfg->general.node, "gw-a.fra1");
	CHECK_INT(cfg->general.node_line, 2);
	dump = dump_to_string(cfg);
	CHECK(dump != NULL && strstr(dump, "\ndrain_timeout = 30\nnode = gw-a.fra1\n") != NULL);
	free(dump);
	cwcfg_config_free(cfg);

	cfg = NULL;
	if (!CHECK_INT(cwcfg_config_load_string(SPAN1, "n.conf", &cfg, &d), 0))
		return;
	CHECK(cfg->general.node == NULL);
	dump = dump_to_string(cfg);
	CHECK(dump != NULL && strstr(dump, "\nnode =") == NULL);
	free(dump);
	cwcfg_config_free(cfg);
}

/* target_user / target_secret and [register NAME]: values, defaults, the dump (golden),
   which never holds a secret. */
static void test_credentials(void)
{
	static const char text[] =
		SPAN1
		"[route in]\nmatch = *\ntarget = sip:192.0.2.7\ntarget_user = gw-1\n"
		"target_secret = top secret\n"
		"[route out]\nmatch = *\ngroup = 1\nallow = 127.0.0.1\n"
		"[register trunk]\nregistrar = sip:192.0.2.1:5080\naor = sip:+4930100@trunk.example.net\n"
		"auth_secret = hunter2\nexpires = 600\nretry_interval = 5\nretry_max = 300\n"
		"[register plain]\nregistrar = sip:192.0.2.2\naor = sip:4930200@example.net\n"
		"contact_user = gw\nauth_user = other\n";
	struct cwcfg_config *cfg = NULL;
	const struct cwcfg_register *r;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;
	cw_diag d;

	memset(&d, 0, sizeof(d));
	if (!CHECK_INT(cwcfg_config_load_string(text, "register.conf", &cfg, &d), 0)) {
		fprintf(stderr, "  %s:%u: %s\n", d.file, d.line, d.message);
		return;
	}
	CHECK_STR(cfg->routes[0].target_user, "gw-1");
	CHECK_STR(cfg->routes[0].target_secret, "top secret");
	CHECK(cfg->routes[1].target_user == NULL);
	if (CHECK_INT(cfg->n_registers, 2)) {
		r = &cfg->registers[0];
		CHECK_STR(r->name, "trunk");
		CHECK_STR(r->registrar.uri, "sip:192.0.2.1:5080");
		CHECK_INT(r->registrar.port, 5080);
		CHECK_STR(r->aor, "sip:+4930100@trunk.example.net");
		CHECK_STR(r->contact_user, "+4930100"); /* the defaults: the aor's user */
		CHECK_STR(r->auth_user, "+4930100");
		CHECK_STR(r->auth_secret, "hunter2");
		CHECK_INT(r->expires, 600);
		CHECK_INT(r->retry_interval, 5);
		CHECK_INT(r->retry_max, 300);
		r = &cfg->registers[1];
		CHECK_STR(r->contact_user, "gw");
		CHECK_STR(r->auth_user, "other");
		CHECK(r->auth_secret == NULL);
		CHECK_INT(r->expires, 3600);
		CHECK_INT(r->retry_interval, 30);
		CHECK_INT(r->retry_max, 1800);
	}
	/* auth_user without a secret: said, not refused */
	CHECK_INT(cfg->n_warnings, 1);
	if (cfg->n_warnings == 1)
		CHECK(strstr(cfg->warnings[0].message, "[register plain]: auth_user without auth_secret") != NULL);
	out = open_memstream(&buf, &len);
	if (CHECK(out != NULL)) {
		cwcfg_config_dump(cfg, out);
		fclose(out);
		CHECK(strstr(buf, "top secret") == NULL && strstr(buf, "hunter2") == NULL);
		CHECK(strstr(buf, "target_secret = (set)") != NULL);
		CHECK(strstr(buf, "auth_secret = (set)") != NULL);
		check_golden("testdata/register.dump", buf);
		free(buf);
	}
	cwcfg_config_free(cfg);
}

/* The word tables read both ways: the parser's name -> value, the dump's value -> name. */
static void test_name_table(void)
{
	char list[16], transports[32];
	int v = -7;

	CHECK_INT(cwcfg_name_value(cwcfg_switchtype_names, "National", &v), 0);
	CHECK_INT(v, CWCFG_SWITCH_NI2);
	CHECK_STR(cwcfg_name_of(cwcfg_switchtype_names, v), "ni2"); /* the first name */
	CHECK_STR(cwcfg_switchtype_name(CWCFG_SWITCH_NI2), "ni2");
	v = -7;
	CHECK_INT(cwcfg_name_value(cwcfg_ton_names, "local", &v), -ENOENT);
	CHECK_INT(v, -7);
	CHECK(cwcfg_name_of(cwcfg_npi_names, 2) == NULL);
	CHECK(cwcfg_npi_name((enum cwcfg_npi)2) == NULL);
	CHECK_INT(cwcfg_name_value(cwcfg_timer_names, "T301", &v), 0);
	CHECK_INT(v, CWCFG_T301);
	CHECK_STR(cwcfg_timer_name(CWCFG_K), "k");
	CHECK(cwcfg_timer_name(CWCFG_TIMER_COUNT) == NULL);
	CHECK_INT(cwcfg_name_value(cwcfg_bool_names, "OFF", &v), 0);
	CHECK_INT(v, 0);
	CHECK_STR(cwcfg_name_of(cwcfg_bool_names, v), "no");
	cwcfg_name_list(cwcfg_signalling_names, list, sizeof(list));
	CHECK_STR(list, "pri_cpe, pri_ne"); /* cut to the buffer, terminated */
	cwcfg_name_list(cwcfg_transport_names, transports, sizeof(transports));
	CHECK_STR(transports, "udp, tcp, tls");
}

/* [span N] digital: yes unless said otherwise (bearer_keys.c). */
static void test_digital(void)
{
	static const char text[] = SPAN1 "digital = no\n"
	                           "[span 2]\nswitchtype = euroisdn\nsignalling = pri_net\n"
	                           "dchannel = dahdi:48\nbchannels = 1-15\n";
	struct cwcfg_config *cfg = NULL;
	cw_diag d;

	memset(&d, 0, sizeof(d));
	if (!CHECK_INT(cwcfg_config_load_string(text, "t.conf", &cfg, &d), 0)) {
		fprintf(stderr, "  %s\n", d.message);
		return;
	}
	CHECK_INT(cfg->spans[0].digital, 0);
	CHECK_INT(cfg->spans[1].digital, 1);
	cwcfg_config_free(cfg);
}

/* overlap, t302, digits; what a number so far is worth to the routes (RFC 3578 §2). */
static void test_overlap(void)
{
	static const char text[] = SPAN1 "overlap = yes\nt302 = 5000\noverlap_method = multiple-invite\n"
	                           "overlap_sending = yes\noverlap_sending_digits = 4\n"
	                           "[route berlin]\nmatch = 4930\ntarget = sip:a\ndigits = 7-9\n"
	                           "[route short]\nmatch = 110\ntarget = sip:b\n"
	                           "[route fixed]\nmatch = 0800\ntarget = sip:c\ndigits = 8\n"
	                           "[route out]\nmatch = 0\ngroup = 1\nallow = 127.0.0.1\n";
	struct cwcfg_config *cfg = NULL;
	const struct cwcfg_route *r = NULL;
	cw_diag d;

	memset(&d, 0, sizeof(d));
	if (!CHECK_INT(cwcfg_config_load_string(text, "t.conf", &cfg, &d), 0)) {
		fprintf(stderr, "  %s\n", d.message);
		return;
	}
	CHECK_INT(cfg->spans[0].overlap, 1);
	CHECK_INT(cfg->spans[0].overlap_method, CWCFG_OVERLAP_MULTIPLE_INVITE);
	CHECK_INT(cfg->spans[0].overlap_sending, 1);
	CHECK_INT(cfg->spans[0].overlap_sending_digits, 4);
	CHECK_INT(cfg->spans[0].timers[CWCFG_T302], 5000);
	CHECK_INT(cfg->routes[0].digits_min, 7);
	CHECK_INT(cfg->routes[0].digits_max, 9);
	CHECK_INT(cfg->routes[2].digits_min, 8);
	CHECK_INT(cfg->routes[2].digits_max, 8);
	CHECK_INT(cfg->routes[1].digits_max, 0);
	/* a prefix of a route's match, and a match short of MIN */
	CHECK_INT(cwcfg_route_classify(cfg, CWCFG_ISDN_TO_SIP, "49", &r), CWCFG_MATCH_PREFIX);
	CHECK(r == NULL);
	CHECK_INT(cwcfg_route_classify(cfg, CWCFG_ISDN_TO_SIP, "493012", &r), CWCFG_MATCH_PREFIX);
	CHECK_INT(cwcfg_route_classify(cfg, CWCFG_ISDN_TO_SIP, "", &r), CWCFG_MATCH_PREFIX);
	/* MIN..MAX-1: enough, MAX: complete */
	CHECK_INT(cwcfg_route_classify(cfg, CWCFG_ISDN_TO_SIP, "4930123", &r), CWCFG_MATCH_ENOUGH);
	CHECK(r == &cfg->routes[0]);
	CHECK_INT(cwcfg_route_classify(cfg, CWCFG_ISDN_TO_SIP, "493012345", &r), CWCFG_MATCH_COMPLETE);
	CHECK(r == &cfg->routes[0]);
	/* no digits rule: complete once the match covers it */
	CHECK_INT(cwcfg_route_classify(cfg, CWCFG_ISDN_TO_SIP, "11", &r), CWCFG_MATCH_PREFIX);
	CHECK_INT(cwcfg_route_classify(cfg, CWCFG_ISDN_TO_SIP, "110", &r), CWCFG_MATCH_COMPLETE);
	CHECK(r == &cfg->routes[1]);
	CHECK_INT(cwcfg_route_classify(cfg, CWCFG_ISDN_TO_SIP, "08001234", &r), CWCFG_MATCH_COMPLETE);
	CHECK_INT(cwcfg_route_classify(cfg, CWCFG_ISDN_TO_SIP, "0800123", &r), CWCFG_MATCH_PREFIX);
	/* nothing starts with 5; the other direction is apart */
	CHECK_INT(cwcfg_route_classify(cfg, CWCFG_ISDN_TO_SIP, "5", &r), CWCFG_MATCH_NONE);
	CHECK(r == NULL);
	CHECK_INT(cwcfg_route_classify(cfg, CWCFG_SIP_TO_ISDN, "0301", &r), CWCFG_MATCH_COMPLETE);
	CHECK(r == &cfg->routes[3]);
	CHECK_INT(cwcfg_route_classify(cfg, CWCFG_SIP_TO_ISDN, "", &r), CWCFG_MATCH_PREFIX);
	CHECK_INT(cwcfg_route_classify(NULL, CWCFG_SIP_TO_ISDN, "0", &r), CWCFG_MATCH_NONE);
	cwcfg_config_free(cfg);
}

/* [sip] redirect_headers and max_redirects (redirect_keys.c), and their names. */
static void test_redirect(void)
{
	static const struct {
		const char *text;
		unsigned headers, max;
	} cases[] = {
		{ SPAN1 "[sip]\nredirect_headers = History-Info\nmax_redirects = 0\n",
		  CWCFG_REDIRECT_HISTORY_INFO, 0 },
		{ SPAN1 "[sip]\nredirect_headers = both\nmax_redirects = 10\n",
		  CWCFG_REDIRECT_DIVERSION | CWCFG_REDIRECT_HISTORY_INFO, 10 },
		{ SPAN1 "[sip]\nredirect_headers = none\n", 0, 3 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cwcfg_config *cfg = NULL;
		cw_diag d;

		memset(&d, 0, sizeof(d));
		if (!CHECK_INT(cwcfg_config_load_string(cases[i].text, "t.conf", &cfg, &d), 0)) {
			fprintf(stderr, "  %s\n", d.message);
			continue;
		}
		CHECK_INT(cfg->sip.redirect_headers, cases[i].headers);
		CHECK_INT(cfg->sip.max_redirects, cases[i].max);
		cwcfg_config_free(cfg);
	}
	CHECK_STR(cwcfg_redirect_headers_name(CWCFG_REDIRECT_DIVERSION), "diversion");
	CHECK_STR(cwcfg_redirect_headers_name(CWCFG_REDIRECT_DIVERSION | CWCFG_REDIRECT_HISTORY_INFO),
	          "both");
	CHECK_STR(cwcfg_redirect_headers_name(0), "none");
}

/* bchannels by switch type: the whole T1 or E1 trunk when not given; T1 refuses 24-31. */
static void test_switchtype_bchannels(void)
{
	static const struct {
		const char *switchtype, *bchannels, *want; /* want NULL: refused */
	} cases[] = {
		{"euroisdn", NULL, "1-15,17-31"}, {"qsig", NULL, "1-15,17-31"},
		{"ni2", NULL, "1-23"},            {"dms100", NULL, "1-23"},
		{"4ess", NULL, "1-23"},           {"5ess", NULL, "1-23"},
		{"national", NULL, "1-23"},       {"ni2", "1-23", "1-23"},
		{"qsig", "1-23", "1-23"},         {"euroisdn", "1-31", "1-31"},
		{"ni2", "1-24", NULL},            {"dms100", "23,31", NULL},
		{"4ess", "1,25-26", NULL},        {"5ess", "24", NULL},
	};
	struct cwcfg_config *cfg = NULL;
	char text[256], chans[64];
	cw_diag d;
	size_t i, j;
	int n16;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text),
		         "[span 1]\nswitchtype = %s\nsignalling = pri_net\ndchannel = socket:s.sock\n"
		         "%s%s%s[route r]\nmatch = *\ngroup = 1\n",
		         cases[i].switchtype, cases[i].bchannels ? "bchannels = " : "",
		         cases[i].bchannels ? cases[i].bchannels : "", cases[i].bchannels ? "\n" : "");
		memset(&d, 0, sizeof(d));
		if (!cases[i].want) {
			CHECK_INT(cwcfg_config_load_string(text, "t.conf", &cfg, &d), -ERANGE);
			CHECK_INT(d.line, 5);
			CHECK(strstr(d.message, "is not a B-channel of a T1 span") != NULL);
			CHECK(strstr(d.message, cases[i].switchtype) != NULL);
			continue;
		}
		if (!CHECK_INT(cwcfg_config_load_string(text, "t.conf", &cfg, &d), 0)) {
			fprintf(stderr, "  %s / %s: %s\n", cases[i].switchtype,
			        cases[i].bchannels ? cases[i].bchannels : "(none)", d.message);
			continue;
		}
		cwcfg_channels_format(cfg->spans[0].bchannels, chans, sizeof(chans));
		CHECK_STR(chans, cases[i].want);
		/* channel 16 as B on an E1-looking span: a warning, not an error */
		for (j = 0, n16 = 0; j < cfg->n_warnings; j++)
			n16 += strstr(cfg->warnings[j].message, "timeslot 16") != NULL;
		CHECK_INT(n16, strcmp(cases[i].want, "1-31") == 0);
		cwcfg_config_free(cfg);
	}
}

int main(void)
{
	test_name_table();
	test_dns_servers();
	test_channels();
	test_bad_cases();
	test_limits();
	test_defaults();
	test_example();
	test_capture();
	test_file_and_check();
	test_trusted_peers();
	test_system_conf();
	test_admission();
	test_golden();
	test_credentials();
	test_tls();
	test_metrics();
	test_node();
	test_overlap();
	test_digital();
	test_redirect();
	test_switchtype_bchannels();
	return check_done();
}
