using System.Diagnostics.Metrics;
using Casewire.Data;
using Casewire.Delivery;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Casewire.Hosting;

/// <summary>OpenTelemetry settings (configuration section <c>OpenTelemetry</c>; the standard <c>OTEL_*</c> variables work too).</summary>
sealed class ObservabilityOptions
{
    public const string Section = "OpenTelemetry";

    /// <summary>Where to send traces, metrics and logs by OTLP; unset (and no <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>) exports nothing.</summary>
    public string? OtlpEndpoint { get; set; }
    /// <summary><c>grpc</c> (the default, port 4317) or <c>http/protobuf</c> (port 4318).</summary>
    public string OtlpProtocol { get; set; } = "grpc";
    /// <summary>Serve the Prometheus scrape endpoint at <see cref="Observability.MetricsPath"/>.</summary>
    public bool Prometheus { get; set; } = true;
    public string ServiceName { get; set; } = "casewire";

    /// <summary>The exporter's protocol for <see cref="OtlpProtocol"/>, or null when it is not one we know.</summary>
    public static OtlpExportProtocol? Protocol(string? protocol) => protocol?.Trim().ToLowerInvariant() switch
    {
        "grpc" => OtlpExportProtocol.Grpc,
        "http/protobuf" or "http" => OtlpExportProtocol.HttpProtobuf,
        _ => null,
    };

    /// <summary>Unset, or an absolute http(s) URL.</summary>
    public static bool IsEndpoint(string? endpoint) => string.IsNullOrWhiteSpace(endpoint)
        || (Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https");
}

/// <summary>
/// Traces and metrics by OpenTelemetry (README "Observability"). Metrics: ASP.NET Core's (request
/// duration, rate-limiter rejections…), HttpClient's, the runtime's and the delivery engine's
/// (<see cref="DeliveryMetrics"/>), scraped by Prometheus at <c>/metrics</c> and pushed by OTLP when
/// an endpoint is configured. Traces (ASP.NET Core, HttpClient, PostgreSQL, the dispatcher) and logs
/// are exported by OTLP only: without a collector nothing listens and they cost nothing.
/// </summary>
/// <remarks>
/// <c>/metrics</c> is open, as Prometheus endpoints conventionally are, because it carries only
/// aggregates: route templates, methods, status codes, channels, providers, outcomes. No company,
/// token, address or text is ever a metric tag. Set <c>OpenTelemetry:Prometheus=false</c> to turn it off.
/// </remarks>
static class Observability
{
    public const string MetricsPath = "/metrics";

    public static IHostApplicationBuilder AddObservability(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.AddOptions<ObservabilityOptions>().BindConfiguration(ObservabilityOptions.Section)
            .Configure<IConfiguration>((o, config) => o.ServiceName = ServiceName(o, config))
            .Validate(o => ObservabilityOptions.Protocol(o.OtlpProtocol) is not null,
                "OpenTelemetry:OtlpProtocol must be grpc or http/protobuf (default grpc).")
            .Validate(o => ObservabilityOptions.IsEndpoint(o.OtlpEndpoint),
                "OpenTelemetry:OtlpEndpoint must be an absolute http(s) URL, e.g. http://localhost:4317, or unset (no export).")
            .Validate(o => !string.IsNullOrWhiteSpace(o.ServiceName),
                "OpenTelemetry:ServiceName must not be empty (default casewire; OTEL_SERVICE_NAME overrides it).")
            .ValidateOnStart();
        // Read now as well: the exporters are set up here. A bad value sets up none and stops start-up (above).
        var options = configuration.GetSection(ObservabilityOptions.Section).Get<ObservabilityOptions>() ?? new();
        options.ServiceName = ServiceName(options, configuration);
        var otlpFromEnvironment = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var otlp = !string.IsNullOrWhiteSpace(options.OtlpEndpoint) || otlpFromEnvironment;
        var postgres = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>()?.Provider == DatabaseProvider.Postgres;

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (!string.IsNullOrWhiteSpace(options.ServiceName)) resource.AddService(options.ServiceName);
            })
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter(DeliveryMetrics.Name);
                ((IDeferredMeterProviderBuilder)metrics).Configure(
                    (services, provider) => provider.AddView(OnlyThisHost(services.GetRequiredService<IMeterFactory>())));
                if (options.Prometheus) metrics.AddPrometheusExporter();
            });
        if (!otlp) return builder;

        telemetry.WithTracing(tracing =>
        {
            tracing.AddAspNetCoreInstrumentation(o => o.Filter = context => !IsPlumbing(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddSource(DeliveryMetrics.Name);
            // Database spans only inside a request or a dispatcher round (see DataExtensions), not the idle polling.
            if (postgres) tracing.AddNpgsql();
        });
        if (string.IsNullOrWhiteSpace(options.OtlpEndpoint))
            telemetry.UseOtlpExporter(); // reads OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL, _HEADERS itself
        else if (ObservabilityOptions.Protocol(options.OtlpProtocol) is { } protocol && ObservabilityOptions.IsEndpoint(options.OtlpEndpoint))
            telemetry.UseOtlpExporter(protocol, new Uri(options.OtlpEndpoint));
        return builder;
    }

    static string ServiceName(ObservabilityOptions options, IConfiguration configuration) =>
        configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } fromEnvironment ? fromEnvironment : options.ServiceName;

    public static IEndpointRouteBuilder MapObservability(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<IOptions<ObservabilityOptions>>().Value.Prometheus)
            app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }

    /// <summary>Drops the instruments another host's meter factory made.</summary>
    // Meters are process-wide and found by name: a provider would take another host's instruments (tests run
    // many) and lose both when that host stops.
    static Func<Instrument, MetricStreamConfiguration?> OnlyThisHost(IMeterFactory own) => instrument =>
        instrument.Meter.Scope is IMeterFactory factory && !ReferenceEquals(factory, own) ? MetricStreamConfiguration.Drop : null;

    static bool IsPlumbing(PathString path) => path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/health");
}
