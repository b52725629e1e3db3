using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Casewire.Model;
using Polly.Timeout;

namespace Casewire.Delivery.Webhooks;

/// <summary>
/// POSTs one event to its endpoint, signed for this attempt (<see cref="WebhookSignature"/>): the
/// <c>webhook-id</c> is the event's, the same on every retry; the <c>webhook-timestamp</c> is the
/// attempt's, from the injected clock. 2xx is sent; every other answer is classified by
/// <see cref="FailureClassification.ForWebhook"/>. Nothing is retried here (the outbox does).
/// </summary>
sealed class WebhookSender(IHttpClientFactory clients, TimeProvider time, ILogger<WebhookSender> logger)
{
    public const string ClientName = "webhooks";
    public const string Name = "webhook";

    /// <summary>A receiver asking for more than this (Retry-After) is retried after this anyway.</summary>
    static readonly TimeSpan LongestRetryAfter = TimeSpan.FromHours(1);

    public async Task<SendResult> SendAsync(OutboxItem item, CancellationToken ct)
    {
        if (item.WebhookEndpoint is not { } endpoint || item.WebhookId is null)
            return new SendResult(SendOutcome.Permanent, ErrorCode: "endpoint-missing", ErrorMessage: "The webhook endpoint no longer exists.");

        var body = Encoding.UTF8.GetBytes(item.Body);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, item.To) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.IdHeader, item.WebhookId);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(endpoint.Secret, item.WebhookId, timestamp, body));
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) return new SendResult(SendOutcome.Sent);
            var rule = FailureClassification.ForWebhook(response.StatusCode);
            logger.LogInformation("Webhook endpoint {EndpointId} answered {Status} to event {WebhookId}", endpoint.Id, status, item.WebhookId);
            // The answer's body is never kept or shown (SPEC §11): the status says enough, and a body could carry
            // whatever the endpoint's host chose to reveal.
            return new SendResult(rule.Outcome, ErrorCode: $"http-{status}", ErrorMessage: rule.Meaning, RetryAfter: RetryAfter(response));
        }
        catch (HttpRequestException e) when (e.InnerException is WebhookAddressRefusedException refused)
        {
            logger.LogWarning("Webhook endpoint {EndpointId} refused for event {WebhookId}: {Reason}", endpoint.Id, item.WebhookId, refused.Message);
            return new SendResult(SendOutcome.Permanent, ErrorCode: "address-refused", ErrorMessage: refused.Message);
        }
        catch (Exception e) when (IsNetworkFailure(e, ct))
        {
            var timeout = e is TimeoutRejectedException;
            logger.LogInformation("Webhook endpoint {EndpointId} could not be reached for event {WebhookId}: {Error}", endpoint.Id, item.WebhookId,
                timeout ? "timeout" : e.Message);
            return new SendResult(FailureClassification.Network.Outcome, ErrorCode: timeout ? "timeout" : "network",
                ErrorMessage: timeout ? "The endpoint did not answer in time." : $"{FailureClassification.Network.Meaning}: {e.Message}");
        }
    }

    TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var retryAfter = response.Headers.RetryAfter;
        var wait = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - time.GetUtcNow() : null);
        return wait is null || wait <= TimeSpan.Zero ? null : wait > LongestRetryAfter ? LongestRetryAfter : wait;
    }

    /// <summary>A timeout, refused connection or cut-off answer; not our own shutdown.</summary>
    static bool IsNetworkFailure(Exception e, CancellationToken ct) =>
        e is HttpRequestException or TimeoutRejectedException or IOException
        || (e is OperationCanceledException && !ct.IsCancellationRequested);
}
