using Casewire.Tests.Infrastructure;

namespace Casewire.Tests;

/// <summary>
/// Every configuration section is checked at start-up: a bad value stops the app with a message that
/// names its key and what is accepted, instead of a dispatcher that hangs (<c>MaxParallelSends=0</c>),
/// spins (<c>BatchSize=0</c>) or resends what a live instance is sending (a lease shorter than a provider call).
/// </summary>
public sealed class OptionsValidationTests
{
    /// <summary>Valid settings with every real provider, so each provider's section is checked; each test changes one key.</summary>
    /// <remarks><paramref name="key"/> may name several keys, separated by <c>;</c>, each set to its part of <paramref name="value"/>.</remarks>
    sealed class ConfiguredApp(string? key = null, string? value = null) : CasewireApp
    {
        protected override void Configure(IDictionary<string, string?> settings)
        {
            settings["Sms:Provider"] = "Twilio";
            settings["Twilio:AccountSid"] = "AC0123456789abcdef0123456789abcdef";
            settings["Twilio:AuthToken"] = "token";
            settings["Twilio:From"] = "+15551230000";
            settings["Email:Provider"] = "Smtp";
            settings["Smtp:Host"] = "smtp.example.com";
            settings["Smtp:From"] = "office@acme.example";
            if (key is null) return;
            var values = value?.Split(';');
            foreach (var (k, i) in key.Split(';').Select((k, i) => (k, i))) settings[k] = values?[i];
        }
    }

    [Fact]
    public async Task TheValidSettingsStart()
    {
        await using var app = new ConfiguredApp();

        await app.InitializeAsync();
    }

    [Theory]
    [InlineData("Delivery:LeaseDuration", "00:00:00", "Delivery:LeaseDuration must be positive (default 00:05:00).")]
    [InlineData("Delivery:LeaseDuration", "00:00:20", "Delivery:LeaseDuration (00:00:20) must be longer than Smtp:Timeout (00:00:30)")]
    [InlineData("Twilio:RequestTimeout", "00:05:00", "Delivery:LeaseDuration (00:05:00) must be longer than Twilio:RequestTimeout (00:05:00)")]
    [InlineData("Smtp:Timeout", "00:06:00", "Delivery:LeaseDuration (00:05:00) must be longer than Smtp:Timeout (00:06:00)")]
    [InlineData("Webhooks:Timeout", "00:05:00", "Delivery:LeaseDuration (00:05:00) must be longer than Webhooks:Timeout (00:05:00)")]
    [InlineData("Delivery:BurstLookahead", "-00:00:01", "Delivery:BurstLookahead must be 0 (off) or more (default 00:00:05).")]
    [InlineData("Delivery:BurstRounds", "0", "Delivery:BurstRounds must be 1 or more (default 50).")]
    [InlineData("Delivery:BurstMinimum", "0", "Delivery:BurstMinimum must be 1 or more (default 100).")]
    [InlineData("Delivery:BatchSize", "0", "Delivery:BatchSize must be 1 or more (default 200).")]
    [InlineData("Delivery:MaxParallelSends", "0", "Delivery:MaxParallelSends must be 1 or more (default 16).")]
    [InlineData("Delivery:RoundInterval", "-00:00:01", "Delivery:RoundInterval must be 0 (no pacing) or more (default 00:00:00.025).")]
    [InlineData("Delivery:BacklogRounds", "0", "Delivery:BacklogRounds must be 1 or more (default 1: one round at a time).")]
    [InlineData("Delivery:MaxIdle", "00:00:00", "Delivery:MaxIdle must be positive (default 00:00:05).")]
    [InlineData("Delivery:FirstRetryDelay", "00:00:00", "Delivery:FirstRetryDelay must be positive (default 00:00:05).")]
    [InlineData("Delivery:MaxRetryDelay", "00:00:01", "Delivery:MaxRetryDelay must be at least Delivery:FirstRetryDelay")]
    [InlineData("Delivery:MaxAttempts", "0", "Delivery:MaxAttempts must be 1 or more (default 10).")]
    [InlineData("Delivery:GiveUpAfter", "00:00:00", "Delivery:GiveUpAfter must be positive (default 1.00:00:00).")]
    [InlineData("Delivery:Instance", " ", "Delivery:Instance must not be empty")]
    [InlineData("Sink:File", "data/", "Sink:File must name a file, e.g. data/sink.jsonl, not a folder")]
    [InlineData("Webhooks:Timeout", "00:00:00", "Webhooks:Timeout must be positive")]
    [InlineData("Webhooks:DisableAfter", "00:00:00", "Webhooks:DisableAfter must be positive")]
    [InlineData("Webhooks:DisableAfterFailures", "0", "Webhooks:DisableAfterFailures must be 1 or more.")]
    [InlineData("Twilio:ApiKeySid;Twilio:ApiKeySecret;Twilio:AuthToken", "SK0123456789abcdef0123456789abcdef;secret;",
        "Twilio:AuthToken is required with Twilio:ApiKeySid and Twilio:ApiKeySecret: the API key sends texts, but Twilio signs its webhooks")]
    [InlineData("Twilio:MessagesPerSecond", "0", "Twilio:MessagesPerSecond is 0; it must be above 0")]
    [InlineData("Twilio:RequestTimeout", "00:00:00", "Twilio:RequestTimeout must be positive")]
    [InlineData("Twilio:BaseUrl", "api.twilio.com", "Twilio:BaseUrl 'api.twilio.com' is not an absolute http(s) URL")]
    [InlineData("Smtp:Port", "0", "Smtp:Port 0 is not a TCP port; use 1 to 65535")]
    [InlineData("Smtp:Timeout", "00:00:00", "Smtp:Timeout 00:00:00 must be positive")]
    [InlineData("Smtp:User", "office", "Smtp:Password is required when Smtp:User is set.")]
    [InlineData("RateLimit:PermitsPerMinute", "-1", "RateLimit:PermitsPerMinute must be 0 (off) or a positive number")]
    [InlineData("Portal:LinkLifetime", "00:00:00", "Portal:LinkLifetime must be positive")]
    [InlineData("Portal:FallbackBaseUrl", "localhost:5000", "Portal:FallbackBaseUrl must be absolute http(s) URLs")]
    [InlineData("Casewire:PublicBaseUrl", "casewire.example.com", "Casewire:PublicBaseUrl 'casewire.example.com' is not an absolute URL")]
    [InlineData("OpenTelemetry:OtlpProtocol", "udp", "OpenTelemetry:OtlpProtocol must be grpc or http/protobuf (default grpc).")]
    [InlineData("OpenTelemetry:OtlpEndpoint", "collector:4317", "OpenTelemetry:OtlpEndpoint must be an absolute http(s) URL")]
    [InlineData("OpenTelemetry:ServiceName", " ", "OpenTelemetry:ServiceName must not be empty")]
    [InlineData("Database:Provider", "MySql", "Database:Provider 'MySql' is not known; use Sqlite (the default) or Postgres.")]
    public async Task ABadValueStopsStartUpNamingItsKeyAndWhatIsAccepted(string key, string value, string message)
    {
        await using var app = new ConfiguredApp(key, value);

        var thrown = await Assert.ThrowsAnyAsync<Exception>(async () => await app.InitializeAsync());

        var messages = Unwrap(thrown).Select(e => e.Message).ToList();
        Assert.True(messages.Any(m => m.Contains(message, StringComparison.Ordinal)),
            $"'{message}' is not among: {string.Join(" | ", messages)}");
    }

    static IEnumerable<Exception> Unwrap(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x;
            if (x is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Unwrap)) yield return inner;
        }
    }
}
