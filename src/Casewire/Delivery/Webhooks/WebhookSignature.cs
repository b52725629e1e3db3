using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Casewire.Delivery.Webhooks;

/// <summary>
/// Standard Webhooks signing (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md):
/// <c>webhook-signature: v1,</c> + base64(HMAC-SHA256(key, <c>{webhook-id}.{webhook-timestamp}.{body}</c>)), where
/// the key is the base64-decoded part of the <c>whsec_</c> secret.
/// </summary>
static class WebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    public const string SecretPrefix = "whsec_";

    /// <summary>A new endpoint secret: 32 random bytes (the spec asks for 24 to 64).</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>A new <c>webhook-id</c>: <c>msg_</c> and a time-ordered UUID (no '.', as the spec requires).</summary>
    public static string NewId(DateTimeOffset now) => "msg_" + Guid.CreateVersion7(now).ToString("N");

    /// <summary>The <c>webhook-signature</c> header value for one attempt.</summary>
    public static string Sign(string secret, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
            throw new ArgumentException("A webhook secret starts with whsec_.", nameof(secret));
        var key = Convert.FromBase64String(secret[SecretPrefix.Length..]);
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp.ToString(CultureInfo.InvariantCulture)}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }
}
