/* SPDX-License-Identifier: MIT */
/*
 * config.h — causeway-bridge configuration: an INI file (inih) in the
 * words of chan_dahdi.conf / system.conf. See README.md in this folder
 * for the format and causeway-bridge.conf.example for a complete file.
 *
 * The loader validates everything and stops at the first error; the
 * cw_diag it fills names FILE:LINE (and, for an error inside an override
 * map file, that file's FILE:LINE:COL as cw_profile_overlay() reports it).
 * Every stored value keeps the line it came from (the *_line fields), so
 * later semantic errors can name FILE:LINE too. The loaded configuration
 * is immutable plain data owned by the caller: free it with
 * cwcfg_config_free().
 */
#ifndef BRIDGE_CONFIG_H
#define BRIDGE_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include <causeway/common.h>
#include <causeway/map.h>

#include "addr.h"   /* bridge/policy: allow, trusted_peers = ADDR[/LEN], ... */
#include "prefix.h" /* bridge/policy: deny = PREFIX, ... */

#ifdef __cplusplus
extern "C" {
#endif

/* Limits (every user-controllable resource has one). */
#define CWCFG_MAX_SPANS 64
#define CWCFG_MAX_SPAN_NUMBER 127     /* DAHDI scans spans 1..127 */
#define CWCFG_MAX_ROUTES 256
#define CWCFG_MAX_TARGETS 8           /* per route */
#define CWCFG_MAX_CHANNEL 31          /* Q.931 channel numbers 1..31 */
#define CWCFG_MAX_DAHDI_CHANNEL 4096  /* global DAHDI channel numbers */
#define CWCFG_MAX_LINE 190            /* characters per line, without newline */
#define CWCFG_MAX_FILE (1024 * 1024)  /* bytes per file (config or override) */
#define CWCFG_MAX_NAME 32             /* route, group names */
#define CWCFG_MAX_NUMBER 32           /* match, prefix digits */
#define CWCFG_MAX_PATH 255            /* paths */
#define CWCFG_MIN_CAPTURE_BYTES 4096u /* capture_max_bytes, when not 0 */
#define CWCFG_MAX_CAPTURE_BYTES 4294967295u /* 4 GiB - 1 */
#define CWCFG_MAX_SOCKET_PATH 107     /* sun_path minus the NUL */
#define CWCFG_MAX_WARNINGS 64
#define CWCFG_MAX_PEERS 16            /* trusted_peers per route */
#define CWCFG_MAX_ALLOW 32            /* allow blocks per route */
#define CWCFG_MAX_DENY 32             /* deny prefixes per route */
#define CWCFG_MAX_CALL_SECONDS 604800 /* max_call_seconds: at most a week */
#define CWCFG_MAX_DRAIN_SECONDS 3600  /* drain_timeout: at most an hour */
#define CWCFG_MAX_REGISTERS 8         /* [register NAME] sections */
#define CWCFG_MIN_SE_FLOOR 90            /* RFC 4028 §5: no Min-SE below 90 s */
#define CWCFG_SESSION_EXPIRES_MAX 86400  /* session_expires, min_se: at most a day */

/* The log levels of [general] log_level. */
enum cwcfg_log_level {
	CWCFG_LOG_ERROR = 0,
	CWCFG_LOG_WARNING = 1,
	CWCFG_LOG_NOTICE = 2, /* default */
	CWCFG_LOG_INFO = 3,
	CWCFG_LOG_DEBUG = 4
};

/* chan_dahdi switchtype= words (libpri PRI_SWITCH_*). */
enum cwcfg_switchtype {
	CWCFG_SWITCH_EUROISDN = 0, /* PRI_SWITCH_EUROISDN_E1 */
	CWCFG_SWITCH_NI2 = 1,      /* PRI_SWITCH_NI2; chan_dahdi calls it "national" */
	CWCFG_SWITCH_DMS100 = 2,   /* PRI_SWITCH_DMS100 */
	CWCFG_SWITCH_4ESS = 3,     /* PRI_SWITCH_ATT4ESS */
	CWCFG_SWITCH_5ESS = 4,     /* PRI_SWITCH_LUCENT5E */
	CWCFG_SWITCH_QSIG = 5      /* PRI_SWITCH_QSIG */
};

/* chan_dahdi signalling= words (libpri node type). */
enum cwcfg_signalling {
	CWCFG_PRI_CPE = 0, /* PRI_CPE: we are the user side */
	CWCFG_PRI_NET = 1  /* PRI_NETWORK: we are the network side */
};

enum cwcfg_dchannel_kind {
	CWCFG_DCHAN_SOCKET = 0, /* a Unix SOCK_SEQPACKET socket (tests, the simulator) */
	CWCFG_DCHAN_DAHDI = 1   /* a DAHDI HDLC channel, by global channel number */
};

/* [span N] audio: where the span's B-channel audio comes from (bridge/pri bchan.h). */
enum cwcfg_audio_kind {
	CWCFG_AUDIO_NONE = 0,   /* not given: no audio flows (signalling only) */
	CWCFG_AUDIO_SOCKET = 1, /* socket:PATH, a Unix SOCK_SEQPACKET socket (the simulator) */
	CWCFG_AUDIO_DAHDI = 2   /* dahdi[:FIRST]: /dev/dahdi/channel, one fd per B-channel */
};

/* Transport bits ([sip] transport, target ;transport=). */
#define CWCFG_TRANSPORT_UDP 0x1u
#define CWCFG_TRANSPORT_TCP 0x2u
#define CWCFG_TRANSPORT_TLS 0x4u  /* RFC 3261 §26.3.1; targets sips: or ;transport=tls */

/* Optional Q.921/Q.931 timers of a span, by libpri name. */
enum cwcfg_timer {
	CWCFG_T200 = 0, /* ms */
	CWCFG_T203,     /* ms */
	CWCFG_T303,     /* ms */
	CWCFG_T305,     /* ms */
	CWCFG_T308,     /* ms */
	CWCFG_T309,     /* ms */
	CWCFG_T310,     /* ms; the bridge core's T310 supervision, not libpri's (README.md) */
	CWCFG_T313,     /* ms */
	CWCFG_T316,     /* ms */
	CWCFG_N200,     /* count */
	CWCFG_K,        /* count */
	CWCFG_T301,     /* ms; the bridge core's T301 supervision, not libpri's (README.md) */
	CWCFG_T302,     /* ms; the bridge core's T302 (overlap receiving), not libpri's */
	CWCFG_TIMER_COUNT
};

/* Route direction, decided by the keys a [route NAME] uses. */
enum cwcfg_direction {
	CWCFG_ISDN_TO_SIP = 0, /* has target= */
	CWCFG_SIP_TO_ISDN = 1  /* has group= */
};

/* Q.931 §4.5.8 type of number (octet 3, bits 7-5). */
enum cwcfg_ton {
	CWCFG_TON_UNKNOWN = 0,
	CWCFG_TON_INTERNATIONAL = 1,
	CWCFG_TON_NATIONAL = 2,
	CWCFG_TON_NETWORK_SPECIFIC = 3,
	CWCFG_TON_SUBSCRIBER = 4,
	CWCFG_TON_ABBREVIATED = 6
};

/* Q.931 §4.5.8 numbering plan identification (octet 3, bits 4-1). */
enum cwcfg_npi {
	CWCFG_NPI_UNKNOWN = 0,
	CWCFG_NPI_ISDN = 1, /* E.164 */
	CWCFG_NPI_DATA = 3, /* X.121 */
	CWCFG_NPI_TELEX = 4,
	CWCFG_NPI_NATIONAL = 8,
	CWCFG_NPI_PRIVATE = 9
};

struct cwcfg_general {
	enum cwcfg_log_level log_level;
	unsigned log_level_line;
	char *pidfile;              /* NULL if not set */
	unsigned pidfile_line;
	char *cdr_file;             /* NULL if not set */
	unsigned cdr_file_line;
	char *capture;              /* the pcap file of SIP and D-channel traffic, NULL if not set */
	unsigned capture_line;
	unsigned capture_max_bytes; /* rotate the capture beyond this size; 0 = never (default) */
	unsigned capture_max_bytes_line;
	char *capture_hep;          /* HEP3 collector "ADDR:PORT" / "[ADDR6]:PORT", NULL if not set */
	unsigned capture_hep_line;
	char *profile_name;         /* default "rfc3398" */
	unsigned profile_line;
	char *overrides;            /* resolved path, NULL if not set */
	unsigned overrides_line;
	char *dahdi_system_conf;    /* resolved path, NULL if not set (dahdi:auto reads
	                               /etc/dahdi/system.conf then) */
	unsigned dahdi_system_conf_line;
	char *metrics_address;      /* [general] metrics = ADDR:PORT: the address (IPv6 without
	                               brackets); NULL: no metrics server */
	unsigned metrics_port;      /* its port; 0: a free one */
	unsigned metrics_line;
	unsigned drain_timeout;     /* seconds calls may still end by themselves after SIGTERM;
	                               0 = cleared at once; default 30 */
	unsigned drain_timeout_line;
	char *node;                 /* this gateway's name among several (docs/scale-out.md): in
	                               each CDR line and the node_info metric; NULL if not set */
	unsigned node_line;
};

/* [sip] session_refresher: who refreshes where RFC 4028 leaves the choice. */
enum cwcfg_refresher {
	CWCFG_REFRESHER_BRIDGE = 0,
	CWCFG_REFRESHER_PEER
};
/* "bridge" or "peer" (session_keys.c). */
const char *cwcfg_refresher_name(enum cwcfg_refresher refresher);

/* [span N] overlap_method: how a number collected by overlap receiving goes to SIP. */
enum cwcfg_overlap_method {
	CWCFG_OVERLAP_EN_BLOC = 0,     /* one INVITE, once the number is complete (RFC 3578 §2) */
	CWCFG_OVERLAP_MULTIPLE_INVITE, /* an INVITE from the route's minimum digits on, a new one
	                                  per digit while 484s come back (RFC 3578 §3.2) */
};

/* [span N] hunting: the order a span's B-channels are taken in for a SETUP sent (Q.931
 * §5.1.2: the user side chooses; hunting_keys.c). */
enum cwcfg_hunting {
	CWCFG_HUNT_ASCENDING = 0, /* the lowest free channel first (the default) */
	CWCFG_HUNT_DESCENDING,    /* the highest free first: away from a network hunting up */
	CWCFG_HUNT_ROUND_ROBIN    /* the next free one after the channel the span gave last */
};
/* "ascending", "descending" or "round-robin" (hunting_keys.c). */
const char *cwcfg_hunting_name(enum cwcfg_hunting hunting);

/* [sip] dtmf: how digits cross toward SIP (RFC 4733 events or the audio itself). */
enum cwcfg_dtmf {
	CWCFG_DTMF_RFC4733 = 0, /* telephone-event offered and accepted; digits as events */
	CWCFG_DTMF_INBAND       /* telephone-event neither offered nor accepted */
};
/* "rfc4733" or "inband" (keys.c). */
const char *cwcfg_dtmf_name(enum cwcfg_dtmf dtmf);

/* [sip] redirect_headers: what an ISDN->SIP INVITE carries the Redirecting number in. */
#define CWCFG_REDIRECT_DIVERSION 1u    /* RFC 5806 */
#define CWCFG_REDIRECT_HISTORY_INFO 2u /* RFC 7044 */
#define CWCFG_MAX_REDIRECTS_MAX 10     /* [sip] max_redirects */
/* "diversion", "history-info", "both" or "none" (redirect_keys.c). */
const char *cwcfg_redirect_headers_name(unsigned headers);

struct cwcfg_sip {
	char *bind;                 /* IPv4/IPv6 literal, default "0.0.0.0" */
	int bind_family;            /* AF_INET or AF_INET6 */
	unsigned bind_line;
	unsigned port;              /* default 5060 */
	unsigned port_line;
	unsigned transports;        /* CWCFG_TRANSPORT_* bits, default UDP */
	unsigned transports_line;
	char *user_agent;           /* default "causeway-bridge/VERSION" */
	unsigned user_agent_line;
	unsigned retry_after;       /* seconds, 0 = none; default 30 */
	unsigned retry_after_line;
	char *dns_servers;          /* "ADDR:PORT,[ADDR6]:PORT,..." (ports filled in) for the
	                               targets' host names (RFC 3263); NULL: resolv.conf */
	unsigned dns_servers_line;
	unsigned invite_timeout;    /* ms, the core's INVITE timer (RFC 3398 §8.1.3); default 32000 */
	unsigned invite_timeout_line;
	unsigned interwork_timeout; /* ms, the core's INTERWORK timer (RFC 3398 §7.1.6); default 10000 */
	unsigned interwork_timeout_line;
	/* TLS (transport = ...,tls): paths resolved against the file's folder */
	unsigned tls_port;          /* the TLS listener; default 5061 */
	unsigned tls_port_line;
	char *tls_certificate;      /* PEM certificate (chain); required with tls */
	unsigned tls_certificate_line;
	char *tls_private_key;      /* PEM key of it; required with tls */
	unsigned tls_private_key_line;
	char *tls_ca_file;          /* PEM CAs for peers' certificates; NULL: with */
	unsigned tls_ca_file_line;  /* tls_ca_dir NULL too, the system's CAs */
	char *tls_ca_dir;           /* hashed CA folder */
	unsigned tls_ca_dir_line;
	int tls_verify_client;      /* 1: TLS clients must present a valid certificate; default 0 */
	unsigned tls_verify_client_line;
	unsigned tls_min_version;   /* 12 (TLS 1.2, default) or 13 */
	unsigned tls_min_version_line;
	/* Flood limits (README.md "Limits"; bridge/policy limits.h): per source address */
	unsigned source_rate;       /* requests per second, default 100 */
	unsigned source_rate_line;
	unsigned source_burst;      /* requests at once, default 200 */
	unsigned source_burst_line;
	unsigned source_max_calls;  /* concurrent calls from SIP, 0 = no limit (default) */
	unsigned source_max_calls_line;
	unsigned block_factor;      /* block a source above block_factor * source_rate requests
	                               in a second; 0 = never; default 10 */
	unsigned block_factor_line;
	unsigned block_seconds;     /* length of a block, default 60 */
	unsigned block_seconds_line;
	unsigned max_calls;         /* the gateway's concurrent calls from SIP; 0 (default) =
	                               no cap but the B-channels */
	unsigned max_calls_line;
	unsigned no_channel_shed_rate; /* new calls a second refused for want of a B-channel
	                                  past which more are refused at admission, without a
	                                  call; 0 = never (also not in overload); default 100 */
	unsigned no_channel_shed_rate_line;
	/* Session timers (RFC 4028; session_keys.c) */
	unsigned session_expires;   /* s asked for, 0 = none (still answered); default 1800 */
	unsigned session_expires_line;
	unsigned min_se;            /* s, the smallest interval accepted (>= 90); default 90 */
	unsigned min_se_line;
	enum cwcfg_refresher session_refresher; /* default bridge */
	unsigned session_refresher_line;
	/* Media (README.md "Media"): RTP/RTCP port pairs (RFC 3550 §11) and the c= address */
	unsigned rtp_port_low, rtp_port_high; /* default 20000-29999 */
	unsigned rtp_ports_line;
	char *media_address;        /* IPv4/IPv6 literal of c=; NULL: the bind address, or for a
	                               wildcard bind the address of the interface toward the
	                               default route (chosen at start) */
	unsigned media_address_line;
	enum cwcfg_dtmf dtmf;       /* default rfc4733 */
	unsigned dtmf_line;
	/* Redirection (redirect_keys.c) */
	unsigned redirect_headers;  /* CWCFG_REDIRECT_* bits; default diversion */
	unsigned redirect_headers_line;
	unsigned max_redirects;     /* 3xx followed per call, 0..CWCFG_MAX_REDIRECTS_MAX; default 3 */
	unsigned max_redirects_line;
};

struct cwcfg_span {
	unsigned number;            /* [span N] */
	unsigned line;              /* the section header */
	enum cwcfg_switchtype switchtype;
	unsigned switchtype_line;
	enum cwcfg_signalling signalling;
	unsigned signalling_line;
	enum cwcfg_dchannel_kind dchannel_kind;
	char *dchannel_path;        /* socket: resolved path; NULL for dahdi */
	unsigned dchannel_channo;   /* dahdi: global channel number; 0 for socket */
	unsigned dchannel_line;
	int dchannel_auto;          /* dahdi:auto: channo (and bchannels if not given) come
	                               from [general] dahdi_system_conf */
	unsigned long bchannels;    /* bit n set = Q.931 channel n is a B-channel (1..31) */
	unsigned bchannels_line;
	char *group;                /* default: the span number as text */
	unsigned group_line;        /* 0 = default */
	const cw_profile *profile;  /* built-in or overlaid (owned; cw_profile_free) */
	char *profile_name;         /* as configured or inherited from [general] */
	unsigned profile_line;      /* 0 = inherited */
	char *overrides;            /* resolved path or NULL */
	unsigned overrides_line;    /* 0 = inherited / none */
	int location;               /* 0..15; default LPN for pri_cpe, LN for pri_net */
	unsigned location_line;     /* 0 = default */
	int early_release;          /* RFC 3398 §7.1.6 early release with in-band information;
	                               default 1 (yes) */
	unsigned early_release_line;
	int overlap;                /* Q.931 §5.2.4 overlap receiving: a SETUP without Sending
	                               complete whose number completes no route gets SETUP
	                               ACKNOWLEDGE and the digits of INFORMATION; default 0 */
	unsigned overlap_line;
	enum cwcfg_overlap_method overlap_method; /* with overlap: when the INVITE goes out;
	                                             default en bloc (overlap_keys.c) */
	unsigned overlap_method_line;
	int overlap_sending;        /* Q.931 §5.1.3 overlap sending on SETUPs to this span: the
	                               first overlap_sending_digits digits in the SETUP without
	                               Sending complete, the rest in INFORMATION after SETUP
	                               ACKNOWLEDGE; default 0 */
	unsigned overlap_sending_line;
	unsigned overlap_sending_digits; /* 1..CWCFG_MAX_NUMBER-1; default 1 */
	unsigned overlap_sending_digits_line;
	enum cwcfg_hunting hunting; /* B-channel order of SETUPs sent; default ascending */
	unsigned hunting_line;
	long timers[CWCFG_TIMER_COUNT]; /* -1 = libpri default */
	unsigned timer_lines[CWCFG_TIMER_COUNT];
	enum cwcfg_audio_kind audio_kind; /* default CWCFG_AUDIO_NONE */
	char *audio_path;           /* socket: resolved path */
	unsigned audio_channo;      /* dahdi: the DAHDI channel of B-channel 1; 0: from the
	                               D-channel (E1: dchannel - 15, T1: dchannel - 23) */
	unsigned audio_line;
	int digital;                /* calls of the unrestricted digital bearer (Q.931 §4.5.5;
	                               clearmode, RFC 4040) both ways; 0: refused with cause 58
	                               (bearer_keys.c); default 1 */
	unsigned digital_line;
};

struct cwcfg_target {
	char *uri;                  /* as written, e.g. "sip:10.0.0.5:5060;transport=udp" */
	char *host;                 /* host name, IPv4, or IPv6 without brackets */
	unsigned port;              /* 0 = not given (5060) */
	unsigned transport;         /* CWCFG_TRANSPORT_UDP, _TCP or _TLS */
	int transport_given;        /* 1: ;transport= or sips: (RFC 3263 §4.1: no NAPTR) */
	int sips;                   /* 1: a sips: URI (RFC 5630: TLS on every hop) */
	unsigned line;
};

struct cwcfg_route {
	char *name;                 /* [route NAME] */
	unsigned line;              /* the section header */
	enum cwcfg_direction direction;
	char *match;                /* "" = any ("*" in the file) */
	unsigned match_line;
	struct cwcfg_target targets[CWCFG_MAX_TARGETS]; /* ISDN->SIP, failover order */
	size_t n_targets;
	char *group;                /* SIP->ISDN: a span group */
	unsigned group_line;
	unsigned strip;             /* leading digits removed; default 0 */
	unsigned strip_line;
	char *prefix;               /* added after strip; default "" */
	unsigned prefix_line;
	enum cwcfg_ton ton;     /* SIP->ISDN called number; default unknown */
	unsigned ton_line;
	enum cwcfg_npi npi;     /* SIP->ISDN called number; default isdn */
	unsigned npi_line;
	/* Caller identity trust domain (RFC 3325 §2.3 Spec(T)). ISDN->SIP: the
	   targets are inside it and receive P-Asserted-Identity (and Privacy: id);
	   default no. */
	int trust_identity;
	unsigned trust_identity_line;
	/* SIP->ISDN: a P-Asserted-Identity is believed only from these source
	   addresses (RFC 3325 §5: the trust is in the sending node); none by default */
	struct cwp_block trusted_peers[CWCFG_MAX_PEERS];
	size_t n_trusted_peers;
	unsigned trusted_peers_line;
	/* SIP->ISDN admission (README.md "Admission"): a call is accepted only from a source
	   in allow or authenticated against the users of auth; a route with neither refuses
	   every call (403, cause 21) */
	struct cwp_block allow[CWCFG_MAX_ALLOW];
	size_t n_allow;
	unsigned allow_line;
	char *auth;                 /* users file (bridge/auth), resolved path; NULL = none */
	unsigned auth_line;
	char *realm;                /* the digest realm; default the route's name */
	unsigned realm_line;
	/* SIP->ISDN destination policy: called numbers refused, as dialed (the Request-URI
	   user, the number match sees: before strip and prefix) */
	struct cwp_prefix_rule deny[CWCFG_MAX_DENY];
	size_t n_deny;
	unsigned deny_line;
	int deny_cause;             /* 21 (call rejected, default) or 57 (bearer capability
	                               not authorized); both go to SIP as 403 */
	unsigned deny_cause_line;
	/* ISDN->SIP: digest credentials for a target's 401/407 (RFC 3261 §22.2); NULL = none */
	char *target_user;
	unsigned target_user_line;
	char *target_secret;        /* the password; --check-config prints "(set)" */
	unsigned target_secret_line;
	/* Both directions: an answered call is cleared with cause 16 after this; 0 = never */
	unsigned max_call_seconds;
	unsigned max_call_seconds_line;
	/* Both directions: [sip] session_expires for this route's calls (RFC 4028), when
	   session_expires_line is not 0 */
	unsigned session_expires;
	unsigned session_expires_line;
	/* Both directions: when the called number (as dialled: before strip and prefix) is
	   complete (overlap_keys.c): digits_min..digits_max digits; 0/0 (default): any
	   number the match covers is complete at once */
	unsigned digits_min, digits_max;
	unsigned digits_line;
};

/* [register NAME]: the gateway registers a contact with a SIP trunk's registrar
   (RFC 3261 §10.2), refreshes it and removes it at shutdown. */
struct cwcfg_register {
	char *name;                 /* [register NAME] */
	unsigned line;              /* the section header */
	struct cwcfg_target registrar; /* sip[s]:HOST[:PORT][;transport=]: Request-URI and next hop */
	unsigned registrar_line;    /* 0 = not given (an error) */
	char *aor;                  /* the address of record, sip:USER@DOMAIN (To and From) */
	unsigned aor_line;
	char *contact_user;         /* the Contact's user; default the aor's user */
	unsigned contact_user_line;
	char *auth_user;            /* digest username; default the aor's user */
	unsigned auth_user_line;
	char *auth_secret;          /* the password; NULL: none (a 401/407 fails); dumped "(set)" */
	unsigned auth_secret_line;
	unsigned expires;           /* s asked for; default 3600 */
	unsigned expires_line;
	unsigned retry_interval;    /* s before the first retry after a failure; default 30 */
	unsigned retry_interval_line;
	unsigned retry_max;         /* s, the back-off's cap; default 1800 */
	unsigned retry_max_line;
};

struct cwcfg_warning {
	unsigned line;              /* in the config file; 0 = the file as a whole */
	char message[CW_DIAG_MESSAGE_MAX];
};

struct cwcfg_config {
	char *file;                 /* the path the config was loaded from */
	struct cwcfg_general general;
	struct cwcfg_sip sip;
	struct cwcfg_span *spans; /* in file order */
	size_t n_spans;
	struct cwcfg_route *routes; /* in file order */
	size_t n_routes;
	struct cwcfg_register registers[CWCFG_MAX_REGISTERS]; /* in file order */
	size_t n_registers;
	struct cwcfg_warning warnings[CWCFG_MAX_WARNINGS];
	size_t n_warnings;
};

/*
 * cwcfg_config_load() - read, parse and validate the file at path.
 * Relative paths inside it (socket:, overrides, pidfile, cdr_file) are
 * resolved against the directory of path. On success *ret is a new
 * config (free with cwcfg_config_free()); on failure *ret is not
 * touched and diag (may be NULL) says FILE:LINE and why.
 * Returns 0, -EINVAL (NULL argument, unreadable file), -ENOENT
 * (unknown section, key, name), CWCOM_ESYNTAX, -ERANGE, CWCOM_EDUPLICATE,
 * CWCOM_ELIMIT, CWCOM_EMISSING, -ENOMEM, or an error of cw_profile_overlay()
 * for an override file, converted with cwcom_from_cw().
 */
int cwcfg_config_load(const char *path, struct cwcfg_config **ret, cw_diag *diag);

/*
 * cwcfg_config_load_string() - the same for text already in memory
 * (NUL-terminated); filename is used in diagnostics and to resolve
 * relative paths; no config file is opened (override files are).
 */
int cwcfg_config_load_string(const char *text, const char *filename,
                                 struct cwcfg_config **ret, cw_diag *diag);

/* cwcfg_config_free() - free a config; NULL is ignored. */
void cwcfg_config_free(struct cwcfg_config *config);

/*
 * cwcfg_config_dump() - print the effective configuration, defaults
 * included, as a config file that loads again to the same config;
 * warnings first, as "# warning: FILE:LINE: ..." comments.
 */
void cwcfg_config_dump(const struct cwcfg_config *config, FILE *out);

/*
 * cwcfg_config_check() - what `causeway-bridge --check-config FILE`
 * does: load; on success print the dump to out and return 0; on failure
 * print "FILE:LINE: error: MESSAGE" to err and return 2.
 */
int cwcfg_config_check(const char *path, FILE *out, FILE *err);

/*
 * cwcfg_route_find() - the route of direction dir whose match is the
 * longest prefix of number (a "*" route matches anything, as the
 * shortest). NULL if none.
 */
const struct cwcfg_route *cwcfg_route_find(const struct cwcfg_config *config,
                                                   enum cwcfg_direction dir,
                                                   const char *number);

/* What a number so far is worth to the routes of a direction (cwcfg_route_classify()). */
enum cwcfg_match {
	CWCFG_MATCH_NONE = 0,  /* no route matches it, and no more digits can make one match */
	CWCFG_MATCH_PREFIX,    /* no route matches it yet; more digits can (RFC 3578 §2:
	                          "incomplete", 484 / cause 28) */
	CWCFG_MATCH_ENOUGH,    /* a route matches it, more digits could still come: complete
	                          when the caller says so (Sending complete, '#') or T302 ends */
	CWCFG_MATCH_COMPLETE   /* a route matches it and no more digits can come */
};

/*
 * cwcfg_route_classify() - number against the routes of dir: the route
 * cwcfg_route_find() gives, with its digits rule (digits_min..digits_max;
 * none: complete as soon as the match covers it); a number that is still a
 * proper prefix of another route's match can take more digits (ENOUGH, not
 * COMPLETE). *ret_route: the route (NULL for NONE and PREFIX). NULL config
 * or number: NONE.
 */
enum cwcfg_match cwcfg_route_classify(const struct cwcfg_config *config,
                                      enum cwcfg_direction dir, const char *number,
                                      const struct cwcfg_route **ret_route);

/*
 * cwcfg_route_trusts_peer() - 1 when the numeric address ip (IPv4 or
 * IPv6, no brackets; an IPv4-mapped IPv6 address counts as its IPv4 one)
 * is inside one of the route's trusted_peers blocks, else 0 (also for NULL
 * or an unparsable ip).
 */
int cwcfg_route_trusts_peer(const struct cwcfg_route *route, const char *ip);

/*
 * cwcfg_route_allows_source() - 1 when src lies in one of the route's
 * allow blocks, else 0 (also for NULL).
 */
int cwcfg_route_allows_source(const struct cwcfg_route *route, const struct cwp_addr *src);

/*
 * cwcfg_route_denies_number() - the route's deny prefix that is the
 * longest prefix of number (as dialed: the number match sees), or NULL.
 */
const struct cwp_prefix_rule *cwcfg_route_denies_number(const struct cwcfg_route *route,
                                                            const char *number);

/*
 * cwcfg_channels_parse() - parse a chan_dahdi channel list
 * ("1-15,17-31") of Q.931 channel numbers 1..31 into a bit set (bit n =
 * channel n). Ranges must ascend; overlaps and duplicates are errors.
 * On failure msg (may be NULL) gets one line of why.
 * Returns 0, CWCOM_ESYNTAX, -ERANGE, CWCOM_EDUPLICATE, -EINVAL.
 */
int cwcfg_channels_parse(const char *text, unsigned long *ret_set, char *msg, size_t msg_len);

/* cwcfg_channels_format() - "1-15,17-31"; returns the length it would write. */
size_t cwcfg_channels_format(unsigned long set, char *buf, size_t len);

/* Names, as the file spells them; NULL for values out of range. */
const char *cwcfg_switchtype_name(enum cwcfg_switchtype switchtype);
const char *cwcfg_signalling_name(enum cwcfg_signalling signalling);
const char *cwcfg_log_level_name(enum cwcfg_log_level level);
const char *cwcfg_ton_name(enum cwcfg_ton ton);
const char *cwcfg_npi_name(enum cwcfg_npi npi);
const char *cwcfg_timer_name(enum cwcfg_timer timer);
const char *cwcfg_direction_name(enum cwcfg_direction dir);

#ifdef __cplusplus
}
#endif

#endif /* BRIDGE_CONFIG_H */
