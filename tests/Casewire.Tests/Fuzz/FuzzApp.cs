using System.Text;
using Casewire.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Casewire.Tests.Fuzz;

/// <summary>
/// The app on Kestrel rather than TestServer: requests cross a real socket, so a dropped connection
/// shows as one, and request lines and headers are parsed (and refused) by the server that runs in
/// production. Errors the app logs are kept, so a failure report can show the exception behind a 500.
/// </summary>
public sealed class FuzzApp : CasewireApp
{
    /// <summary>Kestrel's request-line limit (8 KiB): a longer target is refused with a bare 414 before the app.</summary>
    const int MaxRequestLine = 8 * 1024 - 64;

    HttpClient? _http;
    Task<FuzzTenant>? _neighbour;

    protected override void StartHost()
    {
        UseKestrel(0);
        StartServer();
    }

    public CapturedLogs Errors { get; } = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<ILoggerProvider>(Errors);
        services.AddLogging(logging => logging.AddFilter<CapturedLogs>(null, LogLevel.Error));
    }

    /// <summary>A client that sends what it is given: no redirects, no cookies, header values as UTF-8 bytes.</summary>
    public HttpClient Http => _http ??= new HttpClient(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
    })
    {
        BaseAddress = CreateClient().BaseAddress,
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>A company seeded with the records the fuzzers refer to, next to another company's (the neighbour's).</summary>
    public async Task<(FuzzTenant Tenant, FuzzTenant Neighbour)> NewFuzzTenantAsync()
    {
        var neighbour = await (_neighbour ??= NeighbourAsync());
        var tenant = new FuzzTenant { Api = await NewTenantAsync(), Http = Http };
        await tenant.SeedAsync();
        tenant.ForeignContactIds.AddRange(neighbour.Contacts.Values);
        tenant.ForeignMessageIds.AddRange(neighbour.Messages);
        tenant.ForeignExternalIds.AddRange(neighbour.Contacts.Keys.Concat(neighbour.Projects.Keys).Where(k => !tenant.Contacts.ContainsKey(k) && !tenant.Projects.ContainsKey(k)));
        return (tenant, neighbour);
    }

    async Task<FuzzTenant> NeighbourAsync()
    {
        var neighbour = new FuzzTenant { Api = await NewTenantAsync(), Http = Http };
        await neighbour.SeedAsync(extraIds: ["neighbour-only", "neighbour matter/1"]);
        return neighbour;
    }

    public async Task<(FuzzResponse? Response, Exception? Failure)> SendAsync(FuzzRequest request, string token)
    {
        if (request.Target.Length > MaxRequestLine) request.ProtocolLevel = true;
        using var message = request.ToMessage(token);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            using var response = await Http.SendAsync(message, timeout.Token);
            return (await FuzzResponse.ReadAsync(response, timeout.Token), null);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            return (null, e);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        await base.DisposeAsync();
    }
}
