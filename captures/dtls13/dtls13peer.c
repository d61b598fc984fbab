/*
 * dtls13peer — one DTLS 1.3 client or server connection with wolfSSL, for the capture script
 * make-dtls13.sh (run inside network namespaces). Built against the Debian package
 * libwolfssl-dev by that script; needs a wolfSSL built with DTLS 1.3 (Debian's from 5.9).
 *
 *   dtls13peer server PORT CERT KEY [GROUPS] [cookie|nocookie]
 *       accept one connection on UDP PORT, read one message, answer it, wait for the
 *       client's close_notify, answer with close_notify, exit.
 *   dtls13peer client HOST PORT CAFILE SNI [GROUPS]
 *       connect, verify the server certificate against CAFILE (a failure makes wolfSSL
 *       send its alert and this program exit 1), send one message, read the answer,
 *       close with close_notify and wait for the server's.
 *
 * GROUPS: comma-separated key-exchange groups in order of preference (x25519, p256, p384);
 * the client sends a key share for the first one only, so a server that does not take it
 * answers with a HelloRetryRequest.
 */
#include <wolfssl/options.h>
#include <wolfssl/ssl.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void die_ssl(const char *what, WOLFSSL *ssl, int ret)
{
    char buf[WOLFSSL_MAX_ERROR_SZ];
    int err = ssl ? wolfSSL_get_error(ssl, ret) : ret;
    fprintf(stderr, "dtls13peer: %s: %d %s\n", what, err, wolfSSL_ERR_error_string(err, buf));
    exit(1);
}

static int parse_groups(const char *spec, int *out, int max)
{
    int n = 0;
    char *copy = strdup(spec), *save = NULL, *tok;
    for (tok = strtok_r(copy, ",", &save); tok && n < max; tok = strtok_r(NULL, ",", &save)) {
        if (strcmp(tok, "x25519") == 0)
            out[n++] = WOLFSSL_ECC_X25519;
        else if (strcmp(tok, "p256") == 0)
            out[n++] = WOLFSSL_ECC_SECP256R1;
        else if (strcmp(tok, "p384") == 0)
            out[n++] = WOLFSSL_ECC_SECP384R1;
        else {
            fprintf(stderr, "dtls13peer: unknown group %s\n", tok);
            exit(2);
        }
    }
    free(copy);
    return n;
}

static void set_groups(WOLFSSL *ssl, const char *spec)
{
    int groups[8];
    int n = parse_groups(spec, groups, 8);
    if (wolfSSL_set_groups(ssl, groups, n) != WOLFSSL_SUCCESS)
        die_ssl("set_groups", NULL, -1);
    /* key share for the first group only */
    wolfSSL_NoKeyShares(ssl);
    if (wolfSSL_UseKeyShare(ssl, (word16)groups[0]) != WOLFSSL_SUCCESS)
        die_ssl("UseKeyShare", NULL, -1);
}

/* The steps both sides take: log the finished handshake, send a line, read
 * and log one, and free the connection. WHO is "client" or "server". */
static void handshake_done(WOLFSSL *ssl, const char *who)
{
    fprintf(stderr, "%s: handshake done, %s %s\n", who, wolfSSL_get_version(ssl), wolfSSL_get_cipher(ssl));
}

static void say_hello(WOLFSSL *ssl, const char *who)
{
    char msg[64];
    snprintf(msg, sizeof msg, "hello from the DTLS 1.3 %s\n", who);
    if (wolfSSL_write(ssl, msg, (int)strlen(msg)) <= 0)
        die_ssl("write", ssl, -1);
}

static void hear_hello(WOLFSSL *ssl, const char *who)
{
    char buf[256];
    int n = wolfSSL_read(ssl, buf, sizeof buf - 1);
    if (n <= 0)
        die_ssl("read", ssl, n);
    buf[n] = 0;
    fprintf(stderr, "%s: got %s", who, buf);
}

static void finish(WOLFSSL *ssl, WOLFSSL_CTX *ctx, int fd)
{
    wolfSSL_free(ssl);
    wolfSSL_CTX_free(ctx);
    close(fd);
}

static int run_server(int argc, char **argv)
{
    if (argc < 5)
        return 2;
    int port = atoi(argv[2]);
    WOLFSSL_CTX *ctx = wolfSSL_CTX_new(wolfDTLSv1_3_server_method());
    if (!ctx)
        die_ssl("CTX_new", NULL, -1);
    if (wolfSSL_CTX_use_certificate_chain_file(ctx, argv[3]) != WOLFSSL_SUCCESS)
        die_ssl("certificate", NULL, -1);
    if (wolfSSL_CTX_use_PrivateKey_file(ctx, argv[4], WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS)
        die_ssl("key", NULL, -1);

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        perror("bind");
        return 1;
    }
    /* wait for the first datagram, then connect the socket to its sender */
    struct sockaddr_in peer;
    socklen_t plen = sizeof peer;
    char tmp[1];
    if (recvfrom(fd, tmp, sizeof tmp, MSG_PEEK, (struct sockaddr *)&peer, &plen) < 0) {
        perror("recvfrom");
        return 1;
    }
    if (connect(fd, (struct sockaddr *)&peer, plen) != 0) {
        perror("connect");
        return 1;
    }
    WOLFSSL *ssl = wolfSSL_new(ctx);
    if (!ssl)
        die_ssl("new", NULL, -1);
    if (argc > 5 && strcmp(argv[5], "-") != 0)
        set_groups(ssl, argv[5]);
    if (argc > 6 && strcmp(argv[6], "nocookie") == 0)
        wolfSSL_disable_hrr_cookie(ssl);
    wolfSSL_set_dtls_fd_connected(ssl, fd);
    int ret = wolfSSL_accept(ssl);
    if (ret != WOLFSSL_SUCCESS)
        die_ssl("accept", ssl, ret);
    handshake_done(ssl, "server");
    hear_hello(ssl, "server");
    say_hello(ssl, "server");
    /* wait for the client's close_notify, then answer it */
    char buf[256];
    int n = wolfSSL_read(ssl, buf, sizeof buf - 1);
    if (n <= 0 && wolfSSL_get_error(ssl, n) == WOLFSSL_ERROR_ZERO_RETURN)
        fprintf(stderr, "server: close_notify received\n");
    wolfSSL_shutdown(ssl);
    finish(ssl, ctx, fd);
    return 0;
}

static int run_client(int argc, char **argv)
{
    if (argc < 6)
        return 2;
    WOLFSSL_CTX *ctx = wolfSSL_CTX_new(wolfDTLSv1_3_client_method());
    if (!ctx)
        die_ssl("CTX_new", NULL, -1);
    if (wolfSSL_CTX_load_verify_locations(ctx, argv[4], NULL) != WOLFSSL_SUCCESS)
        die_ssl("CA file", NULL, -1);
    wolfSSL_CTX_set_verify(ctx, WOLFSSL_VERIFY_PEER, NULL);

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[3])) };
    if (inet_pton(AF_INET, argv[2], &sa.sin_addr) != 1) {
        fprintf(stderr, "dtls13peer: bad address %s\n", argv[2]);
        return 2;
    }
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        perror("connect");
        return 1;
    }
    WOLFSSL *ssl = wolfSSL_new(ctx);
    if (!ssl)
        die_ssl("new", NULL, -1);
    if (wolfSSL_UseSNI(ssl, WOLFSSL_SNI_HOST_NAME, argv[5], (word16)strlen(argv[5])) != WOLFSSL_SUCCESS)
        die_ssl("UseSNI", NULL, -1);
    if (argc > 6 && strcmp(argv[6], "-") != 0)
        set_groups(ssl, argv[6]);
    wolfSSL_set_dtls_fd_connected(ssl, fd);
    int ret = wolfSSL_connect(ssl);
    if (ret != WOLFSSL_SUCCESS)
        die_ssl("connect", ssl, ret);
    handshake_done(ssl, "client");
    say_hello(ssl, "client");
    hear_hello(ssl, "client");
    /* close_notify, then wait for the server's */
    ret = wolfSSL_shutdown(ssl);
    if (ret == WOLFSSL_SHUTDOWN_NOT_DONE)
        ret = wolfSSL_shutdown(ssl);
    fprintf(stderr, "client: shutdown %d\n", ret);
    finish(ssl, ctx, fd);
    return 0;
}

int main(int argc, char **argv)
{
    int rc = 2;
    wolfSSL_Init();
    if (argc > 1 && strcmp(argv[1], "server") == 0)
        rc = run_server(argc, argv);
    else if (argc > 1 && strcmp(argv[1], "client") == 0)
        rc = run_client(argc, argv);
    if (rc == 2)
        fprintf(stderr, "usage: dtls13peer server PORT CERT KEY [GROUPS] [cookie|nocookie]\n"
                        "       dtls13peer client HOST PORT CAFILE SNI [GROUPS]\n");
    wolfSSL_Cleanup();
    return rc;
}
