using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Polly;

namespace Casewire.Delivery.Sms;

/// <summary>The Twilio provider's settings (configuration section <c>Twilio</c>, SPEC §9), checked at start-up.</summary>
sealed class TwilioOptions
{
    public const string Section = "Twilio";

    /// <summary>The account every message is sent from (<c>AC…</c>). Required.</summary>
    public string? AccountSid { get; set; }

    /// <summary>
    /// Authenticates REST calls unless an API key is given, and always signs Twilio's webhooks
    /// (Twilio signs with the account's auth token, never with an API key), so the webhooks need it.
    /// </summary>
    public string? AuthToken { get; set; }

    /// <summary>An API key (<c>SK…</c>) and its secret: Twilio's recommended REST credentials, an alternative to the auth token.</summary>
    public string? ApiKeySid { get; set; }
    public string? ApiKeySecret { get; set; }

    /// <summary>The default sender number (E.164), used by companies without their own <c>SenderNumber</c>.</summary>
    public string? From { get; set; }

    /// <summary>A Messaging Service (<c>MG…</c>) that picks the sender itself; used when there is no <see cref="From"/>.</summary>
    public string? MessagingServiceSid { get; set; }

    /// <summary>The REST API's root; tests point it at a local fake.</summary>
    public string BaseUrl { get; set; } = "https://api.twilio.com";

    /// <summary>Per sender number: 1 for a long code, e.g. 3 for toll-free (SPEC §7).</summary>
    public double MessagesPerSecond { get; set; } = 1;

    /// <summary>How long one REST call may take before it counts as a transient failure.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>Casewire:PublicBaseUrl</c>: where Twilio reaches our status callbacks, and the URL its signatures cover.</summary>
    public string? PublicBaseUrl { get; set; }

    bool HasApiKey => !string.IsNullOrWhiteSpace(ApiKeySid) && !string.IsNullOrWhiteSpace(ApiKeySecret);

    /// <summary>Basic auth: the API key pair when given, else the account SID and auth token.</summary>
    public AuthenticationHeaderValue Credentials => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(
        HasApiKey ? $"{ApiKeySid}:{ApiKeySecret}" : $"{AccountSid}:{AuthToken}")));

    public string MessagesUrl => $"{BaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(AccountSid ?? "")}/Messages.json";

    /// <summary>Where Twilio reports a delivery's progress, or null when Casewire has no public address.</summary>
    public string? StatusCallbackFor(long deliveryId) =>
        string.IsNullOrWhiteSpace(PublicBaseUrl) ? null : $"{PublicBaseUrl.TrimEnd('/')}/webhooks/twilio/status?d={deliveryId}";

    internal bool HasAuthToken => !string.IsNullOrWhiteSpace(AuthToken);
    internal bool HasApiKeyHalf => string.IsNullOrWhiteSpace(ApiKeySid) != string.IsNullOrWhiteSpace(ApiKeySecret);
    internal bool CanAuthenticate => HasAuthToken || HasApiKey;
}

/// <summary>Every problem with the <c>Twilio</c> section at once, each naming its key and what is accepted.</summary>
sealed class TwilioOptionsValidation : IValidateOptions<TwilioOptions>
{
    public ValidateOptionsResult Validate(string? name, TwilioOptions o)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(o.AccountSid))
            failures.Add("Twilio:AccountSid is required with Sms:Provider=Twilio: the account SID (AC…) from the Twilio console.");
        if (o.HasApiKeyHalf)
            failures.Add("Twilio:ApiKeySid and Twilio:ApiKeySecret go together: set both, or neither and use Twilio:AuthToken.");
        else if (!o.CanAuthenticate)
            failures.Add("Twilio:AuthToken is required (or Twilio:ApiKeySid with Twilio:ApiKeySecret): the credentials for Twilio's REST API.");
        else if (!o.HasAuthToken)
            // Without it every inbound text (a client's STOP among them) and status callback would be refused with 403.
            failures.Add("Twilio:AuthToken is required with Twilio:ApiKeySid and Twilio:ApiKeySecret: the API key sends texts, but Twilio " +
                         "signs its webhooks (inbound texts, STOP, status callbacks) with the account's auth token, so Casewire needs it to verify them.");
        if (string.IsNullOrWhiteSpace(o.From) && string.IsNullOrWhiteSpace(o.MessagingServiceSid))
            failures.Add("Twilio:From (a sender number in E.164, e.g. +15551234567) or Twilio:MessagingServiceSid (MG…) is required.");
        if (!Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
            failures.Add($"Twilio:BaseUrl '{o.BaseUrl}' is not an absolute http(s) URL; leave it unset for https://api.twilio.com.");
        if (!(o.MessagesPerSecond > 0))
            failures.Add($"Twilio:MessagesPerSecond is {o.MessagesPerSecond}; it must be above 0 (1 for a long code, e.g. 3 for toll-free).");
        if (o.RequestTimeout <= TimeSpan.Zero)
            failures.Add("Twilio:RequestTimeout must be positive, e.g. 00:00:10.");
        if (!string.IsNullOrWhiteSpace(o.PublicBaseUrl) && !Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out _))
            failures.Add($"Casewire:PublicBaseUrl '{o.PublicBaseUrl}' is not an absolute URL, e.g. https://casewire.example.com.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

static class TwilioSms
{
    /// <summary>The Twilio SMS provider: its options, its HTTP client and <see cref="ISmsSender"/>.</summary>
    public static IServiceCollection AddTwilioSms(this IServiceCollection services)
    {
        services.AddOptions<TwilioOptions>().BindTwilio().ValidateOnStart();
        services.AddSingleton<IValidateOptions<TwilioOptions>, TwilioOptionsValidation>();
        services.AddSingleton(sp => new ProviderTimeout("Twilio:RequestTimeout",
            () => sp.GetRequiredService<IOptions<TwilioOptions>>().Value.RequestTimeout));

        services.AddHttpClient<TwilioSmsSender>((sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<TwilioOptions>>().Value;
                http.DefaultRequestHeaders.Authorization = options.Credentials;
                http.DefaultRequestHeaders.UserAgent.ParseAdd("Casewire");
            })
            // The sender lives in the singleton dispatcher: pooled connections are recycled instead
            // of the handler, so DNS changes are still seen.
            .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // A timeout per call and nothing else: a retried POST could text the client twice. The
            // durable outbox retries instead, after reconciling when the outcome is unknown (SPEC §7).
            .AddResilienceHandler("twilio", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<TwilioOptions>>().Value;
                pipeline.AddTimeout(options.RequestTimeout);
            });
        services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<TwilioSmsSender>());
        return services;
    }

    /// <summary>
    /// Binds the <c>Twilio</c> section and <c>Casewire:PublicBaseUrl</c>. The webhooks use it too, so
    /// they can check signatures whichever provider sends.
    /// </summary>
    public static OptionsBuilder<TwilioOptions> BindTwilio(this OptionsBuilder<TwilioOptions> options) => options
        .BindConfiguration(TwilioOptions.Section)
        .Configure<IConfiguration>((o, config) => o.PublicBaseUrl ??= config["Casewire:PublicBaseUrl"]);
}
