using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Casewire.Delivery.Webhooks;

/// <summary>
/// Where a firm's webhooks may go (SPEC §11): never into the host's own network. Link-local (cloud metadata
/// at 169.254.169.254), multicast and unspecified addresses are always refused; loopback, private (RFC 1918,
/// fc00::/7) and carrier-grade NAT ranges only with <c>Webhooks:AllowPrivateNetworks</c>. Checked when an
/// endpoint is saved and again when each call connects, after DNS resolution, so a name that later resolves
/// elsewhere (DNS rebinding) is refused too.
/// </summary>
sealed class WebhookAddresses(IOptions<WebhookOptions> options)
{
    bool AllowPrivate => options.Value.AllowPrivateNetworks;

    /// <summary>What is wrong with <paramref name="value"/> as an endpoint URL (its form, then where its host resolves), or null when it will do.</summary>
    public async Task<string?> CheckUrlAsync(string? value, CancellationToken ct)
    {
        if (WebhookEndpoints.CheckUrl(value) is { } wrong) return wrong;
        var host = new Uri(value!.Trim()).IdnHost;
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        }
        catch (SocketException)
        {
            // A name that does not resolve yet (a CMS being set up) is kept: each call checks again where it resolves then.
            return null;
        }
        return addresses.Select(Refusal).FirstOrDefault(r => r is not null) is { } refusal ? $"the host '{host}' {refusal}" : null;
    }

    /// <summary>Why a call may not connect to <paramref name="address"/>, or null when it may.</summary>
    public string? Refusal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var kind = KindOf(address);
        return kind switch
        {
            null => null,
            AddressKind.Loopback or AddressKind.Private when AllowPrivate => null,
            AddressKind.Loopback or AddressKind.Private =>
                $"resolves to {address}, a {Describe(kind.Value)} address: webhooks go to the internet only (Webhooks:AllowPrivateNetworks=true allows it for a single-firm installation).",
            _ => $"resolves to {address}, a {Describe(kind.Value)} address, where webhooks never go.",
        };
    }

    /// <summary>Connects a webhook call to the first address of its host that is allowed; throws <see cref="WebhookAddressRefusedException"/> when none is.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = addresses.Where(a => Refusal(a) is null).ToList();
        if (allowed.Count == 0)
            throw new WebhookAddressRefusedException(
                addresses.Length == 0 ? $"The host '{host}' could not be found." : $"The host '{host}' {Refusal(addresses[0])}");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed.Select(a => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).ToArray(), context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    enum AddressKind { Loopback, Private, LinkLocal, Multicast, Unspecified }

    static string Describe(AddressKind kind) => kind switch
    {
        AddressKind.Loopback => "loopback",
        AddressKind.Private => "private-network",
        AddressKind.LinkLocal => "link-local (cloud metadata)",
        AddressKind.Multicast => "multicast",
        _ => "unspecified",
    };

    static AddressKind? KindOf(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 => AddressKind.Unspecified, // 0.0.0.0/8, "this network"
                127 => AddressKind.Loopback,
                10 => AddressKind.Private,
                172 when b[1] is >= 16 and <= 31 => AddressKind.Private,
                192 when b[1] == 168 => AddressKind.Private,
                100 when b[1] is >= 64 and <= 127 => AddressKind.Private, // carrier-grade NAT, 100.64/10
                169 when b[1] == 254 => AddressKind.LinkLocal,
                >= 224 and <= 239 => AddressKind.Multicast,
                255 when b.All(x => x == 255) => AddressKind.Multicast, // broadcast
                _ => null,
            };
        }
        if (address.Equals(IPAddress.IPv6Any)) return AddressKind.Unspecified;
        if (IPAddress.IsLoopback(address)) return AddressKind.Loopback;
        if (address.IsIPv6LinkLocal) return AddressKind.LinkLocal;
        if (address.IsIPv6Multicast) return AddressKind.Multicast;
        if (address.IsIPv6UniqueLocal || address.IsIPv6SiteLocal) return AddressKind.Private; // fc00::/7, fec0::/10
        return null;
    }
}

/// <summary>A webhook call refused before it connected: its host resolves only to addresses webhooks never go to.</summary>
sealed class WebhookAddressRefusedException(string message) : Exception(message);
