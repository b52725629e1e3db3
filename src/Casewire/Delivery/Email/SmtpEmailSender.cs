using System.Net.Sockets;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Casewire.Delivery.Email;

/// <summary>
/// Sends email through a mail server with MailKit (SPEC §7). One connection per email: a firm sends
/// tens to hundreds a day, the dispatcher already bounds how many run at once, and a fresh
/// connection confines any failure (a dropped socket, a server left mid-transaction) to its own
/// message instead of a pooled connection poisoning the next one.
/// </summary>
sealed class SmtpEmailSender(IOptions<SmtpOptions> options, TimeProvider time, ILogger<SmtpEmailSender> logger) : IEmailSender
{
    readonly SmtpOptions _options = options.Value;

    public string Name => "smtp";

    public async Task<SendResult> SendAsync(OutgoingEmail email, CancellationToken ct)
    {
        if (!MailboxAddress.TryParse(email.To, out var to))
            return new SendResult(SendOutcome.Permanent, ErrorCode: "invalid-address", ErrorMessage: $"'{email.To}' is not an email address.");
        var message = Compose(email, to);
        var messageId = message.MessageId!;

        using var client = new SmtpClient { Timeout = (int)_options.Timeout.TotalMilliseconds };
        string response;
        var sending = false; // past connect and login: the message itself is on its way
        try
        {
            await client.ConnectAsync(_options.Host!, _options.EffectivePort, _options.SocketOptions, ct);
            if (!string.IsNullOrEmpty(_options.User)) await client.AuthenticateAsync(_options.User, _options.Password ?? "", ct);
            sending = true;
            response = await client.SendAsync(message, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && FailureClassification.ForSmtp(e, sending) is { } failure)
        {
            logger.LogWarning(e, "SMTP send of delivery {DeliveryId} (message {MessageId}) to {Host}:{Port} failed: {Outcome} {Code}",
                email.DeliveryId, email.MessageId, _options.Host, _options.EffectivePort, failure.Outcome, failure.ErrorCode);
            return failure;
        }

        try
        {
            await client.DisconnectAsync(quit: true, ct);
        }
        catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or TimeoutException)
        {
            // The server has the message (it answered DATA with 250); a failed QUIT changes nothing.
            logger.LogDebug(e, "QUIT after delivery {DeliveryId} failed; the email was accepted", email.DeliveryId);
        }
        logger.LogDebug("Delivery {DeliveryId} accepted by {Host} as {MessageIdHeader}: {Response}",
            email.DeliveryId, _options.Host, messageId, response);
        // SMTP hands back no id of its own that outlives the session; the Message-ID is what an admin
        // finds in the relay's logs and in the recipient's mailbox.
        return SendResult.Sent(messageId);
    }

    /// <summary>
    /// SMTP cannot be asked whether it accepted a message earlier, so a delivery interrupted mid-send
    /// (a crash, or an answer lost after the message went out) is sent again: email is at-least-once. The resend carries the same Message-ID
    /// (<c>cw-{deliveryId}@…</c>), by which mail servers and clients recognise and fold the duplicate.
    /// </summary>
    public Task<ReconcileResult> ReconcileAsync(OutgoingEmail email, DateTimeOffset attemptStartedAt, CancellationToken ct) =>
        Task.FromResult(new ReconcileResult(ReconcileOutcome.NotFound));

    MimeMessage Compose(OutgoingEmail email, MailboxAddress to)
    {
        var from = email.From is not null && MailboxAddress.TryParse(email.From, out var own) ? own : _options.FromMailbox;
        var message = new MimeMessage
        {
            Subject = email.Subject,
            Date = time.GetUtcNow(),
            // Stable per delivery, so a resend after a crash is the same message to every mail client.
            MessageId = StableMessageId(email.DeliveryId, from),
            Body = BodyOf(email),
        };
        message.From.Add(from);
        message.To.Add(to);
        return message;
    }

    /// <summary>Plain text and, for reminders and notices, the event as text/calendar and as an .ics file.</summary>
    // The calendar alternative is what calendar apps offer to add, update or remove.
    static MimeEntity BodyOf(OutgoingEmail email)
    {
        var text = new TextPart("plain") { Text = email.Body };
        if (email.CalendarIcs is null) return text;
        var method = email.CalendarIcs.Contains("METHOD:CANCEL", StringComparison.Ordinal) ? "CANCEL" : "REQUEST";
        var calendar = new TextPart("calendar") { Text = email.CalendarIcs };
        calendar.ContentType.Parameters.Add("method", method);
        var attachment = new MimePart("text", "calendar")
        {
            Content = new MimeContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(email.CalendarIcs))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = "invite.ics",
        };
        return new Multipart("mixed") { new MultipartAlternative { text, calendar }, attachment };
    }

    /// <summary><c>cw-{deliveryId}@{domain of From}</c>: unique per delivery, identical on every retry.</summary>
    public static string StableMessageId(long deliveryId, MailboxAddress from) =>
        $"cw-{deliveryId}@{(string.IsNullOrEmpty(from.Domain) ? "casewire.invalid" : from.Domain)}";
}
