using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Casewire.Delivery;
using Casewire.Model;
using Casewire.Tests.Fakes;
using Casewire.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Casewire.Tests;

/// <summary>
/// Observability (README "Observability"): the Prometheus endpoint at <c>/metrics</c> with the delivery engine's
/// instruments, the dispatcher's spans, and export by OTLP when an endpoint is configured. Nothing
/// that identifies a firm, a client or a message reaches a metric; spans carry ids, never text.
/// </summary>
public sealed class ObservabilityTests(ObservabilityTests.App app) : IClassFixture<ObservabilityTests.App>
{
    public sealed class App : CasewireApp
    {
        // Every scrape answers afresh (the exporter otherwise reuses an answer for 300 ms).
        protected override void ConfigureServices(IServiceCollection services) =>
            services.Configure<PrometheusAspNetCoreOptions>(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
    }

    const string Text = "Your deposition is confirmed for Tuesday at the Hall of Justice";

    async Task<(CasewireApp.Tenant Tenant, int MessageId, long DeliveryId)> SendOneAsync(string phone)
    {
        var tenant = await app.NewTenantAsync();
        var sent = await (await tenant.Http.PostJsonAsync("/partner/v2/send-message", new { phoneNumber = phone, text = Text }))
            .ExpectAsync(HttpStatusCode.Accepted);
        return (tenant, (int)sent["id"]!, (long)sent["recipients"]![0]!["deliveryId"]!);
    }

    [Fact]
    public async Task MetricsAnswersPrometheusTextWithTheDeliveriesAfterADispatch()
    {
        var (tenant, _, _) = await SendOneAsync("+15551230001");
        await app.DispatchAsync();

        var response = await app.ClientFor(null).GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE casewire_deliveries_total counter", text);
        Assert.Matches("""casewire_deliveries_total\{[^}]*channel="sms",outcome="sent",provider="sink"\} [1-9]""", text);
        Assert.Contains("casewire_delivery_lateness_seconds_bucket{", text);
        Assert.Contains("""http_route="/partner/v2/send-message""", text); // ASP.NET Core's request duration
        Assert.Contains("http_server_request_duration_seconds_count{", text);
        // Aggregates only: no token, company, address or text.
        foreach (var secret in new[] { tenant.Token, tenant.Slug, "+15551230001", "15551230001", Text[..20] })
            Assert.DoesNotContain(secret, text);
        Assert.DoesNotContain("company", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AnotherHostInTheSameProcessNeitherAddsToNorRemovesThisHostsMetrics()
    {
        // Meters are process-wide and share names across hosts; a host reports only its own.
        await using (var other = new CasewireApp())
        {
            await other.InitializeAsync();
            var stranger = await other.NewTenantAsync();
            await (await stranger.Http.PostJsonAsync("/partner/v2/send-message", new { phoneNumber = "+15551230009", text = Text }))
                .ExpectAsync(HttpStatusCode.Accepted);
            await other.DispatchAsync();
        }
        var before = await ScrapeAsync();
        await SendOneAsync("+15551230005");
        await app.DispatchAsync();

        var after = await ScrapeAsync();

        Assert.Equal(SentCount(before) + 1, SentCount(after));
    }

    async Task<string> ScrapeAsync() => await (await app.ClientFor(null).GetAsync("/metrics")).Content.ReadAsStringAsync();

    static long SentCount(string prometheus) => prometheus.Split('\n')
        .Where(l => l.StartsWith("casewire_deliveries_total{", StringComparison.Ordinal) && l.Contains("outcome=\"sent\"", StringComparison.Ordinal))
        .Sum(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task MetricsNeedsNoTokenAndIsNotUnderTheRateLimit()
    {
        var response = await app.ClientFor(null).GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OutboxDepthCountsDueAndScheduledItemsAtMostEveryTenSeconds()
    {
        var metrics = app.Services.GetRequiredService<DeliveryMetrics>();
        var meters = app.Services.GetRequiredService<IMeterFactory>();
        var depth = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // This app's meter only: other test classes run their own apps in this process.
            if (instrument.Meter.Scope == meters && instrument.Name == "casewire.outbox.depth") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => depth[(string)tags[0].Value!] = value);
        listener.Start();
        await metrics.CountDepthAsync(app.Time.GetUtcNow());
        listener.RecordObservableInstruments();
        var (due, scheduled) = (depth["due"], depth["scheduled"]);

        var tenant = await app.NewTenantAsync();
        await app.WithDbAsync(async db =>
        {
            var outbox = new Outbox(db, app.Time);
            outbox.Enqueue(new OutboxItem { CompanyId = tenant.CompanyId, Channel = Channel.Sms, To = "+15551230002", Body = "now", DueAt = app.Time.GetUtcNow() });
            outbox.Enqueue(new OutboxItem { CompanyId = tenant.CompanyId, Channel = Channel.Sms, To = "+15551230002", Body = "later", DueAt = app.Time.GetUtcNow().AddDays(1) });
            await db.SaveChangesAsync();
        });
        app.Time.Advance(DeliveryMetrics.DepthRefresh - TimeSpan.FromMilliseconds(1));
        listener.RecordObservableInstruments();
        await metrics.DepthCounting;
        var beforeRefresh = (depth["due"], depth["scheduled"]);
        app.Time.Advance(TimeSpan.FromMilliseconds(1));
        listener.RecordObservableInstruments(); // answers from the cache and starts a count
        await metrics.DepthCounting;
        listener.RecordObservableInstruments();

        Assert.Equal((due, scheduled), beforeRefresh);
        Assert.Equal(due + 1, depth["due"]);
        Assert.Equal(scheduled + 1, depth["scheduled"]);
        await app.DispatchAsync();
    }

    [Fact]
    public async Task EachSendIsASpanWithItsIdsChannelProviderAndOutcomeButNoTextOrAddress()
    {
        var (tenant, messageId, deliveryId) = await SendOneAsync("+15551230003");
        using var testSource = new ActivitySource("Casewire.Tests");
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is DeliveryMetrics.Name or "Casewire.Tests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        ActivityTraceId trace;
        using (var test = testSource.StartActivity("test")!)
        {
            trace = test.TraceId;
            await app.DispatchAsync();
        }

        var spans = stopped.Where(a => a.TraceId == trace && a.Source.Name == DeliveryMetrics.Name).ToList();
        var round = Assert.Single(spans, s => s.OperationName == "outbox dispatch");
        var send = Assert.Single(spans, s => s.OperationName == "outbox send");
        Assert.Equal(round.SpanId, send.ParentSpanId);
        Assert.Equal(deliveryId, send.GetTagItem("casewire.delivery.id"));
        Assert.Equal(messageId, send.GetTagItem("casewire.message.id"));
        Assert.Equal(tenant.CompanyId, send.GetTagItem("casewire.company.id"));
        Assert.Equal("sms", send.GetTagItem("casewire.channel"));
        Assert.Equal("sink", send.GetTagItem("casewire.provider"));
        Assert.Equal("sent", send.GetTagItem("casewire.outcome"));
        foreach (var (key, value) in spans.SelectMany(s => s.TagObjects))
            Assert.False(value?.ToString() is { } v && (v.Contains("1555123") || v.Contains(Text[..20])), $"{key} = {value}");
    }
}

/// <summary><c>OpenTelemetry:Prometheus=false</c>: no scrape endpoint.</summary>
public sealed class MetricsOffTests(MetricsOffTests.App app) : IClassFixture<MetricsOffTests.App>
{
    public sealed class App : CasewireApp
    {
        protected override void Configure(IDictionary<string, string?> settings) => settings["OpenTelemetry:Prometheus"] = "false";
    }

    [Fact]
    public async Task TheScrapeEndpointCanBeTurnedOff()
    {
        var response = await app.ClientFor(null).GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

/// <summary>With <c>OpenTelemetry:OtlpEndpoint</c> set, traces, metrics and logs go to the collector by OTLP.</summary>
public sealed class OtlpExportTests(OtlpExportTests.App app) : IClassFixture<OtlpExportTests.App>
{
    public sealed class App : CasewireApp
    {
        public FakeOtlpCollector Collector { get; private set; } = null!;

        protected override async Task BeforeStartAsync() => Collector = await FakeOtlpCollector.StartAsync();

        protected override void Configure(IDictionary<string, string?> settings)
        {
            settings["OpenTelemetry:OtlpEndpoint"] = Collector.BaseUrl;
            settings["OpenTelemetry:OtlpProtocol"] = "http/protobuf";
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync(); // flushes the last exports first
            await Collector.DisposeAsync();
        }
    }

    [Fact]
    public async Task RequestsSendsMetricsAndLogsReachTheCollectorWithoutTokensOrTexts()
    {
        const string text = "Mediation on the 14th: bring the medical records";
        var tenant = await app.NewTenantAsync();
        await (await tenant.Http.PostJsonAsync("/partner/v2/send-message", new { phoneNumber = "+15551230004", text }))
            .ExpectAsync(HttpStatusCode.Accepted);
        await app.DispatchAsync();

        Assert.True(app.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
        // False overall: the Prometheus reader only exports when scraped. The OTLP reader exports now.
        app.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000);
        Assert.True(app.Services.GetRequiredService<LoggerProvider>().ForceFlush(10_000));

        var traces = string.Concat(app.Collector.Received("/v1/traces"));
        Assert.Contains("outbox send", traces);
        Assert.Contains("casewire.delivery.id", traces);
        Assert.Contains("/partner/v2/send-message", traces); // the request's span
        Assert.Contains("casewire.deliveries", string.Concat(app.Collector.Received("/v1/metrics")));
        Assert.Contains("Database is up to date", string.Concat(app.Collector.Received("/v1/logs")));
        foreach (var secret in new[] { tenant.Token, text, "15551230004" })
            Assert.DoesNotContain(secret, string.Concat(app.Collector.All));
    }
}
