using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Casewire.Delivery;

/// <summary>
/// The one table that decides whether a failed send is retried (SPEC §7). SMTP failures are read
/// from MailKit's exceptions (<see cref="ForSmtp(Exception, bool)"/>); webhook answers by <see cref="ForWebhook"/>. Twilio error codes:
/// https://www.twilio.com/docs/api/errors. A code not in the table falls back to its HTTP status:
/// 408, 429 and 5xx are transient, any other 4xx is permanent.
/// Some failures are neither (SPEC §10): the request went out and its answer was lost — a timeout or a
/// reset after it was written, a gateway's 502 or 504, a 2xx that cannot be read. Those are
/// <see cref="SendOutcome.Ambiguous"/>: the provider is asked before any new attempt.
/// </summary>
static class FailureClassification
{
    public sealed record Rule(SendOutcome Outcome, string Meaning, bool OptsOut = false);

    static readonly Dictionary<int, Rule> TwilioCodes = new()
    {
        // Permanent: the number can never receive this text from us.
        [21211] = new(SendOutcome.Permanent, "invalid 'To' phone number"),
        [21214] = new(SendOutcome.Permanent, "'To' number cannot be reached"),
        [21217] = new(SendOutcome.Permanent, "phone number does not appear to be valid"),
        [21408] = new(SendOutcome.Permanent, "permission to send to this region is not enabled"),
        [21610] = new(SendOutcome.Permanent, "the recipient replied STOP (unsubscribed at the carrier)", OptsOut: true),
        [21612] = new(SendOutcome.Permanent, "the 'To' number is not reachable by this sender"),
        [21614] = new(SendOutcome.Permanent, "'To' number is not a valid mobile number"),
        [21606] = new(SendOutcome.Permanent, "the 'From' number is not SMS-capable"),
        [21660] = new(SendOutcome.Permanent, "the 'From' number does not belong to the account"),
        [30002] = new(SendOutcome.Permanent, "account suspended"),
        [30004] = new(SendOutcome.Permanent, "message blocked"),
        [30005] = new(SendOutcome.Permanent, "unknown destination handset"),
        [30006] = new(SendOutcome.Permanent, "landline or unreachable carrier"),
        [30007] = new(SendOutcome.Permanent, "message filtered by the carrier"),
        [30034] = new(SendOutcome.Permanent, "sender number not registered (A2P 10DLC)"),
        [20003] = new(SendOutcome.Permanent, "authentication failed: check Twilio:AccountSid and Twilio:AuthToken"),
        // Transient: try again later.
        [20429] = new(SendOutcome.Transient, "too many requests"),
        [30001] = new(SendOutcome.Transient, "queue overflow"),
        [30003] = new(SendOutcome.Transient, "unreachable destination handset (phone off or out of range)"),
        [30008] = new(SendOutcome.Transient, "unknown carrier error"),
        [30009] = new(SendOutcome.Transient, "missing segment"),
        [30010] = new(SendOutcome.Transient, "message price exceeds max price"),
    };

    /// <summary>Classifies a Twilio API error by its code, else by its HTTP status.</summary>
    public static Rule ForTwilio(int? code, HttpStatusCode status)
    {
        if (code is { } known && TwilioCodes.TryGetValue(known, out var rule)) return rule;
        return ForHttpStatus(status);
    }

    public static Rule ForHttpStatus(HttpStatusCode status) => (int)status switch
    {
        408 or 425 or 429 => new(SendOutcome.Transient, $"HTTP {(int)status}: try again later"),
        // A gateway's answer: the request may have reached the provider behind it.
        502 or 504 => new(SendOutcome.Ambiguous, $"HTTP {(int)status}: a gateway lost the provider's answer; it may have the message"),
        >= 200 and < 300 => new(SendOutcome.Ambiguous, $"HTTP {(int)status}: accepted, but the answer could not be read"),
        >= 500 => new(SendOutcome.Transient, $"HTTP {(int)status}: provider error"),
        _ => new(SendOutcome.Permanent, $"HTTP {(int)status}: refused by the provider"),
    };

    /// <summary>
    /// A webhook endpoint's answer other than 2xx (Standard Webhooks, "Delivery success and failure"):
    /// 410 Gone says the receiver wants no more events, a permanent failure that disables the endpoint;
    /// anything else — a redirect (not followed), a 4xx, a 5xx — is retried.
    /// </summary>
    public static Rule ForWebhook(HttpStatusCode status) => (int)status switch
    {
        410 => new(SendOutcome.Permanent, "HTTP 410 Gone: the receiver wants no more events"),
        >= 300 and < 400 => new(SendOutcome.Transient, $"HTTP {(int)status}: redirects are not followed; register the final URL"),
        _ => new(SendOutcome.Transient, $"HTTP {(int)status}: the endpoint did not accept the event"),
    };

    /// <summary>Network failures and timeouts are always worth another try.</summary>
    public static readonly Rule Network = new(SendOutcome.Transient, "network error or timeout");

    /// <summary>A timeout or cut-off connection after the request may have been written: the provider may have it.</summary>
    public static readonly Rule LostAnswer = new(SendOutcome.Ambiguous, "the request went out but its answer was lost");

    /// <summary>
    /// An HTTP call that threw: certainly not sent when it failed before the request could go out (name
    /// resolution, a refused connection, the TLS handshake); otherwise — a timeout, a reset, a cut-off
    /// answer — the request may have arrived.
    /// </summary>
    public static Rule ForHttpFailure(Exception e) => e is HttpRequestException
    {
        HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
            or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError,
    }
        ? Network
        : LostAnswer;

    /// <summary>
    /// What an SMTP failure means for the delivery (SPEC §7; reply codes: RFC 5321 §4.2). Null for an
    /// exception that is not an SMTP or network failure: the dispatcher logs it and retries. A network
    /// failure once the message was being handed over (<paramref name="sending"/>) is ambiguous: the server
    /// may have queued it, so the resend carries the same Message-ID (SPEC §10).
    /// </summary>
    public static SendResult? ForSmtp(Exception e, bool sending) => ForSmtp(e) switch
    {
        { ErrorCode: "smtp-network" } lost when sending => lost with { Outcome = LostAnswer.Outcome, ErrorMessage = $"{LostAnswer.Meaning}: {e.Message}" },
        var failure => failure,
    };

    /// <summary>What an SMTP failure means, whenever it happened.</summary>
    public static SendResult? ForSmtp(Exception e) => e switch
    {
        SmtpCommandException c when (int)c.StatusCode is >= 500 and < 600 => new(SendOutcome.Permanent,
            ErrorCode: $"smtp-{(int)c.StatusCode}", ErrorMessage: $"The mail server refused {Refused(c)}: {(int)c.StatusCode} {c.Message}"),
        SmtpCommandException c => new(SendOutcome.Transient,
            ErrorCode: $"smtp-{(int)c.StatusCode}", ErrorMessage: $"The mail server deferred {Refused(c)}: {(int)c.StatusCode} {c.Message}"),
        AuthenticationException => new(SendOutcome.Permanent, ErrorCode: "smtp-auth",
            ErrorMessage: $"The mail server refused the login ({e.Message}); check Smtp:User and Smtp:Password."),
        ServiceNotAuthenticatedException => new(SendOutcome.Permanent, ErrorCode: "smtp-auth",
            ErrorMessage: $"The mail server requires a login ({e.Message}); set Smtp:User and Smtp:Password."),
        // MailKit's word for a server that lacks what the settings or the message need (STARTTLS, AUTH, SMTPUTF8).
        NotSupportedException => new(SendOutcome.Permanent, ErrorCode: "smtp-unsupported",
            ErrorMessage: $"{e.Message} Check Smtp:Security, Smtp:Port and Smtp:User against what the mail server offers."),
        // A certificate or TLS version problem may be fixed on the server side: retried, with a pointer to the settings.
        SslHandshakeException => new(SendOutcome.Transient, ErrorCode: "smtp-tls",
            ErrorMessage: $"TLS with the mail server failed: {e.Message} Check Smtp:Security and Smtp:Port (465 is SslOnConnect, 587 StartTls)."),
        SmtpProtocolException or IOException or SocketException or TimeoutException or OperationCanceledException =>
            new(Network.Outcome, ErrorCode: "smtp-network", ErrorMessage: $"{Network.Meaning}: {e.Message}"),
        _ => null,
    };

    static string Refused(SmtpCommandException c) => c.ErrorCode switch
    {
        SmtpErrorCode.RecipientNotAccepted => $"the recipient {c.Mailbox}",
        SmtpErrorCode.SenderNotAccepted => $"the sender {c.Mailbox} (is Smtp:From allowed to send through this server?)",
        SmtpErrorCode.MessageNotAccepted => "the message",
        _ => "the command",
    };
}
