using Microsoft.Extensions.Options;
using Polly;

namespace Casewire.Delivery.Webhooks;

/// <summary>Outbound webhooks' knobs (configuration section <c>Webhooks</c>), with their defaults.</summary>
sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>How long an endpoint has to answer. Like GitHub's 10 s: a receiver should answer first and work after.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>An endpoint whose every call failed for this long is disabled…</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>…provided that many attempts failed in a row (so one failure after Casewire was down for a day is not enough).</summary>
    public int DisableAfterFailures { get; set; } = 10;

    /// <summary>
    /// Lets webhooks go to loopback and private-network addresses (SPEC §11): for a single-firm installation whose
    /// CMS runs on the same host or the office network. Off: one firm must not reach into the host's network.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }
}

static class WebhookExtensions
{
    /// <summary>The webhook sender (its own HTTP client: a timeout and no redirects, no retries) and the events raised in units of work.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section)
            .Validate(o => o.Timeout > TimeSpan.Zero, "Webhooks:Timeout must be positive, e.g. 00:00:10.")
            .Validate(o => o.DisableAfter > TimeSpan.Zero, "Webhooks:DisableAfter must be positive, e.g. 1.00:00:00.")
            .Validate(o => o.DisableAfterFailures >= 1, "Webhooks:DisableAfterFailures must be 1 or more.")
            .ValidateOnStart();
        services.AddSingleton(sp => new ProviderTimeout("Webhooks:Timeout", () => sp.GetRequiredService<IOptions<WebhookOptions>>().Value.Timeout));
        services.AddScoped<WebhookEvents>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookAddresses>();
        services.AddSingleton<WebhookDeliveries>();
        services.AddHttpClient(WebhookSender.ClientName, http =>
            {
                http.DefaultRequestHeaders.UserAgent.ParseAdd("Casewire-Webhooks/1");
                http.Timeout = System.Threading.Timeout.InfiniteTimeSpan; // the resilience timeout below decides
            })
            // A redirect is a failure (Standard Webhooks): the integrator registers the final URL.
            // Every connection goes through the address policy, after DNS: a name that resolves into the host's
            // network is refused at connect time too (DNS rebinding).
            .ConfigurePrimaryHttpMessageHandler(services => new SocketsHttpHandler
            {
                AllowAutoRedirect = false, UseCookies = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectCallback = services.GetRequiredService<WebhookAddresses>().ConnectAsync,
            })
            // A timeout per call and nothing else: the durable outbox retries, with backoff, under the same webhook-id.
            .AddResilienceHandler("webhooks", (pipeline, context) =>
                pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<WebhookOptions>>().Value.Timeout));
        return services;
    }
}
