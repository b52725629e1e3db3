using System.Text;
using Casewire.Tests.Infrastructure;

namespace Casewire.Tests.Fuzz;

/// <summary>
/// The app on Kestrel rather than TestServer: requests cross a real socket, so a dropped connection
/// shows as one, and request lines and headers are parsed (and refused) by the server that runs in
/// production.
/// </summary>
public sealed class FuzzApp : CasewireApp
{
    HttpClient? _http;

    public FuzzApp() => UseKestrel(0);

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

    public override async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        await base.DisposeAsync();
    }
}
