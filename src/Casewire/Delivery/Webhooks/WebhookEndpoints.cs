using System.Text.Json;
using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Delivery.Webhooks;

/// <summary>
/// Registering, listing, deleting and re-enabling a company's webhook endpoints (the CLI now, the
/// Company App's Integrations page later). Every lookup is by company and id: another company's
/// endpoint is "not found".
/// </summary>
static class WebhookEndpoints
{
    /// <summary>What is wrong with <paramref name="value"/> as an endpoint URL, or null when it will do.</summary>
    public static string? CheckUrl(string? value)
    {
        var url = value?.Trim() ?? "";
        if (url.Length == 0) return "the URL is required, e.g. https://cms.example.com/casewire/webhooks.";
        if (url.Length > WebhookEndpoint.MaxUrlLength) return $"the URL is {url.Length} characters long; at most {WebhookEndpoint.MaxUrlLength} are accepted.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            return $"'{url}' is not an absolute http(s) URL; use one like https://cms.example.com/casewire/webhooks.";
        if (uri.UserInfo.Length > 0)
            return "the URL carries a user name or password, which would not be sent; put a token in its path or query instead.";
        return null;
    }

    /// <summary>Creates an endpoint with a new secret; the caller checked the URL and the filter.</summary>
    public static async Task<WebhookEndpoint> CreateAsync(
        CasewireDb db, int companyId, string url, string? events, string? description, DateTimeOffset now, CancellationToken ct)
    {
        var endpoint = db.WebhookEndpoints.Add(new WebhookEndpoint
        {
            CompanyId = companyId, Url = url.Trim(), Secret = WebhookSignature.NewSecret(), Events = events,
            Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim(), CreatedAt = now,
        }).Entity;
        await db.SaveChangesAsync(ct);
        return endpoint;
    }

    public static Task<List<WebhookEndpoint>> ListAsync(CasewireDb db, int companyId, CancellationToken ct) =>
        db.WebhookEndpoints.AsNoTracking().ForCompany(companyId).OrderBy(e => e.Id).ToListAsync(ct);

    public static Task<WebhookEndpoint?> FindAsync(CasewireDb db, int companyId, int id, CancellationToken ct) =>
        db.WebhookEndpoints.ForCompany(companyId).FirstOrDefaultAsync(e => e.Id == id, ct);

    /// <summary>Deletes the endpoint; its pending calls are canceled, its past ones stay in the delivery log. Returns how many were canceled.</summary>
    public static async Task<int> DeleteAsync(CasewireDb db, WebhookEndpoint endpoint, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var canceled = await WebhookDeliveries.CancelPendingAsync(db, endpoint.Id, "endpoint-deleted", "The webhook endpoint was deleted.", ct);
        db.WebhookEndpoints.Remove(endpoint);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return canceled;
    }

    /// <summary>Turns a disabled endpoint back on with a clean record; false when it was not disabled.</summary>
    public static async Task<bool> EnableAsync(CasewireDb db, WebhookEndpoint endpoint, CancellationToken ct)
    {
        if (endpoint.IsEnabled) return false;
        endpoint.DisabledAt = null;
        endpoint.DisabledReason = null;
        endpoint.FailingSince = null;
        endpoint.ConsecutiveFailures = 0;
        await db.SaveChangesAsync(ct);
        return true;
    }

    public sealed record Call(OutboxItem Item, string? Type, IReadOnlyList<DeliveryAttempt> Attempts);

    /// <summary>The endpoint's delivery log: its latest calls, newest first, each with every attempt.</summary>
    public static async Task<List<Call>> LogAsync(CasewireDb db, WebhookEndpoint endpoint, int limit, CancellationToken ct)
    {
        var items = await db.OutboxItems.AsNoTracking()
            .ForCompany(endpoint.CompanyId).Where(o => o.WebhookEndpointId == endpoint.Id)
            .OrderByDescending(o => o.Id).Take(limit).ToListAsync(ct);
        var ids = items.Select(i => i.Id).ToList();
        var attempts = await db.DeliveryAttempts.AsNoTracking().Where(a => ids.Contains(a.OutboxItemId)).OrderBy(a => a.Number).ToListAsync(ct);
        return items.Select(i => new Call(i, TypeOf(i.Body), attempts.Where(a => a.OutboxItemId == i.Id).ToList())).ToList();
    }

    static string? TypeOf(string body)
    {
        try { return JsonDocument.Parse(body).RootElement.GetProperty("type").GetString(); }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException) { return null; }
    }
}
