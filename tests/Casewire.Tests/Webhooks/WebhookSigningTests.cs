using System.Text;
using Casewire.Tests.Fakes;
using Casewire.Tests.Infrastructure;

namespace Casewire.Tests.Webhooks;

/// <summary>
/// README "Webhooks": every call is signed as the Standard Webhooks specification says, checked by the
/// receiver's own implementation of it and against vectors computed elsewhere; any change to a signed part fails.
/// </summary>
public sealed class WebhookSigningTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    WebhookReceiver Receiver => app.Receiver;

    [Fact]
    public async Task ATamperedBodyOrHeaderFailsVerification()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        var hook = await app.EndpointAsync(tenant);
        await app.TextAsync(phone, sender, "I will bring the documents.");
        await app.DispatchAsync();
        var request = Assert.Single(Receiver.RequestsTo(hook.Path));
        var now = app.Time.GetUtcNow();

        Assert.True(StandardWebhooksVerifier.Verify(hook.Secret, request.Headers, request.Body, now));
        var tampered = Encoding.UTF8.GetBytes(request.BodyText.Replace("I will bring", "I will not bring", StringComparison.Ordinal));
        Assert.False(StandardWebhooksVerifier.Verify(hook.Secret, request.Headers, tampered, now));
        var oneByte = request.Body.ToArray();
        oneByte[^2] ^= 1;
        Assert.False(StandardWebhooksVerifier.Verify(hook.Secret, request.Headers, oneByte, now));
        Assert.False(StandardWebhooksVerifier.Verify(hook.Secret, With(request, "webhook-id", "msg_00000000000000000000000000000000"), request.Body, now));
        Assert.False(StandardWebhooksVerifier.Verify(hook.Secret, With(request, "webhook-timestamp", (request.Timestamp + 1).ToString()), request.Body, now));
        Assert.False(StandardWebhooksVerifier.Verify(Casewire.Delivery.Webhooks.WebhookSignature.NewSecret(), request.Headers, request.Body, now));
        Assert.False(StandardWebhooksVerifier.Verify(hook.Secret, request.Headers, request.Body, now + TimeSpan.FromMinutes(6))); // a replay, too late
    }

    /// <summary>
    /// Casewire's signer and the test's verifier against vectors computed elsewhere: the reference
    /// libraries' own (standard-webhooks, libraries/csharp WebhookTest.verifyWebhookSignWorks) and the
    /// README's example (computed with Python's hmac), so neither merely agrees with the other.
    /// </summary>
    [Theory]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, """{"test": 2432232314}""",
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=", "msg_019b93f2c1587a3e9a3b8c1d2e4f6071", 1767711607L,
        """{"type":"message.received","timestamp":"2026-01-06T15:00:07+00:00","data":{"messageId":12,"projectId":"matter-1","channel":"sms","from":"+15551234567","contactExternalId":"123-3123-123","authorName":"John Doe","text":"Can we move the meeting to Friday?","receivedAt":"2026-01-06T15:00:07+00:00"}}""",
        "v1,WTfq7COg/pWaPph90CeKqvPZsqeVg3UThjvTz9zwjVw=")]
    public void SignaturesMatchVectorsComputedElsewhere(string secret, string id, long timestamp, string body, string signature)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        Assert.Equal(signature, Casewire.Delivery.Webhooks.WebhookSignature.Sign(secret, id, timestamp, bytes));
        var headers = new Dictionary<string, string> { ["webhook-id"] = id, ["webhook-timestamp"] = timestamp.ToString(), ["webhook-signature"] = signature };
        Assert.True(StandardWebhooksVerifier.Verify(secret, headers, bytes, DateTimeOffset.FromUnixTimeSeconds(timestamp)));
    }

    static Dictionary<string, string> With(WebhookReceiver.Received request, string header, string value) =>
        new(request.Headers) { [header] = value };
}
