using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace Casewire.Delivery.Sms;

/// <summary>
/// Texts through Twilio's Messages REST API (https://www.twilio.com/docs/messaging/api/message-resource).
/// Every answer is classified by <see cref="FailureClassification"/>; nothing is retried here (the outbox does).
/// </summary>
sealed class TwilioSmsSender(HttpClient http, IOptions<TwilioOptions> options, ILogger<TwilioSmsSender> logger) : ISmsSender
{
    readonly TwilioOptions _options = options.Value;

    public string Name => "twilio";
    public double? MessagesPerSecond => _options.MessagesPerSecond;

    public async Task<SendResult> SendAsync(OutgoingSms sms, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>> { new("To", sms.To), new("Body", sms.Body) };
        // The company's own number first; else the installation's number or Messaging Service.
        var from = string.IsNullOrWhiteSpace(sms.From) ? _options.From : sms.From;
        if (!string.IsNullOrWhiteSpace(from)) form.Add(new("From", from));
        else form.Add(new("MessagingServiceSid", _options.MessagingServiceSid!));
        if (_options.StatusCallbackFor(sms.DeliveryId) is { } callback) form.Add(new("StatusCallback", callback));

        try
        {
            using var response = await http.PostAsync(_options.MessagesUrl, new FormUrlEncodedContent(form), ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (response.IsSuccessStatusCode && Read<TwilioMessage>(text)?.Sid is { Length: > 0 } sid)
                return SendResult.Sent(sid);
            return Failure(response.StatusCode, text) with { RetryAfter = RetryAfter(response) };
        }
        catch (Exception e) when (IsNetworkFailure(e, ct))
        {
            // Refused before the request went out: not sent. A timeout or reset after it: Twilio may have it (SPEC §10).
            var rule = FailureClassification.ForHttpFailure(e);
            logger.LogWarning(e, "Twilio could not be reached for delivery {DeliveryId} ({Outcome})", sms.DeliveryId, rule.Outcome);
            return new SendResult(rule.Outcome, ErrorCode: e is TimeoutRejectedException ? "timeout" : "network",
                ErrorMessage: $"{rule.Meaning}: {e.Message}");
        }
    }

    /// <summary>Twilio's Retry-After (in seconds) on a 429 or 503: the dispatcher waits at least that long (capped there, SPEC §10).</summary>
    static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter?.Delta;

    /// <summary>A Twilio error body (<c>{"code": 21211, "message": "…", "status": 400}</c>) classified by its code, else its HTTP status.</summary>
    static SendResult Failure(HttpStatusCode status, string body)
    {
        var error = Read<TwilioError>(body);
        var rule = FailureClassification.ForTwilio(error?.Code, status);
        return new SendResult(rule.Outcome,
            ErrorCode: error?.Code?.ToString(CultureInfo.InvariantCulture) ?? $"http-{(int)status}",
            ErrorMessage: string.IsNullOrWhiteSpace(error?.Message) ? rule.Meaning : error.Message,
            OptsOut: rule.OptsOut);
    }

    /// <summary>
    /// After a crash mid-send or a lost answer (SPEC §10): lists the messages to this number from this sender,
    /// newest first, and looks for this text created no earlier than two minutes before the attempt (clocks
    /// differ). No <c>DateSent</c> filter: a message still queued at Twilio has no <c>date_sent</c> and such
    /// a filter would hide exactly the text we look for.
    /// </summary>
    public async Task<ReconcileResult> ReconcileAsync(OutgoingSms sms, DateTimeOffset attemptStartedAt, CancellationToken ct)
    {
        var from = string.IsNullOrWhiteSpace(sms.From) ? _options.From : sms.From;
        var query = new List<string> { $"To={Uri.EscapeDataString(sms.To)}", $"PageSize={PageSize}" };
        if (!string.IsNullOrEmpty(from)) query.Add($"From={Uri.EscapeDataString(from)}");
        var url = $"{_options.MessagesUrl}?{string.Join('&', query)}";
        var earliest = attemptStartedAt - TimeSpan.FromMinutes(2);
        try
        {
            // Newest first: once a page reaches back past the attempt, older pages cannot hold it.
            for (var page = 0; page < MaxPages && url is not null; page++)
            {
                using var response = await http.GetAsync(url, ct);
                if (!response.IsSuccessStatusCode)
                {
                    logger.LogWarning("Twilio answered {Status} when asked about delivery {DeliveryId}", (int)response.StatusCode, sms.DeliveryId);
                    return new ReconcileResult(ReconcileOutcome.Unknown);
                }
                var list = Read<TwilioMessageList>(await response.Content.ReadAsStringAsync(ct));
                if (list?.Messages is null) return new ReconcileResult(ReconcileOutcome.Unknown);
                var match = list.Messages.FirstOrDefault(m => m.Body == sms.Body && m.Sid is { Length: > 0 } && ParseDate(m.DateCreated) >= earliest);
                if (match is not null) return new ReconcileResult(ReconcileOutcome.Found, match.Sid);
                if (list.Messages.Count == 0 || list.Messages.Any(m => ParseDate(m.DateCreated) < earliest))
                    return new ReconcileResult(ReconcileOutcome.NotFound);
                url = string.IsNullOrEmpty(list.NextPageUri) ? null : new Uri(new Uri(_options.BaseUrl), list.NextPageUri).ToString();
            }
            // Still pages of texts newer than the attempt, none of them this one: Twilio cannot say in reasonable time.
            return url is null ? new ReconcileResult(ReconcileOutcome.NotFound) : new ReconcileResult(ReconcileOutcome.Unknown);
        }
        catch (Exception e) when (IsNetworkFailure(e, ct))
        {
            logger.LogWarning(e, "Twilio could not be asked about delivery {DeliveryId}", sms.DeliveryId);
            return new ReconcileResult(ReconcileOutcome.Unknown);
        }
    }

    /// <summary>A number gets few texts a day: three pages of 50 reach well past any attempt worth asking about.</summary>
    const int PageSize = 50, MaxPages = 3;

    /// <summary>A timeout, refused connection or cut-off answer; not our own shutdown.</summary>
    static bool IsNetworkFailure(Exception e, CancellationToken ct) =>
        e is HttpRequestException or TimeoutRejectedException or IOException
        || (e is OperationCanceledException && !ct.IsCancellationRequested);

    /// <summary>Twilio's dates are RFC 2822, e.g. <c>Tue, 06 Jan 2026 15:00:00 +0000</c>.</summary>
    static DateTimeOffset ParseDate(string? value) =>
        DateTimeOffset.TryParseExact(value, "ddd, dd MMM yyyy HH:mm:ss zzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
        || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date)
            ? date
            : DateTimeOffset.MinValue;

    static T? Read<T>(string json) where T : class
    {
        try { return JsonSerializer.Deserialize<T>(json); }
        catch (JsonException) { return null; } // an HTML error page from a proxy: classified by status alone
    }

    sealed record TwilioMessage(
        [property: JsonPropertyName("sid")] string? Sid,
        [property: JsonPropertyName("body")] string? Body,
        [property: JsonPropertyName("date_created")] string? DateCreated);

    sealed record TwilioMessageList(
        [property: JsonPropertyName("messages")] List<TwilioMessage>? Messages,
        [property: JsonPropertyName("next_page_uri")] string? NextPageUri);

    sealed record TwilioError(
        [property: JsonPropertyName("code")] int? Code,
        [property: JsonPropertyName("message")] string? Message);
}
