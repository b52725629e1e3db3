using Casewire.Data;
using Casewire.Delivery.Webhooks;
using Casewire.Model;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Casewire.CompanyApp.Pages.Settings;

/// <summary>
/// Settings → Integrations → one webhook endpoint (README "Webhooks"), admins only: its settings and state, and its latest
/// calls with every attempt — the same <see cref="WebhookEndpoints.LogAsync"/> as <c>casewire webhook log</c>.
/// Another company's endpoint id is a 404.
/// </summary>
[Authorize(Policy = StaffPolicies.Admin)]
sealed class WebhookModel(CasewireDb db, TimeProvider time) : StaffPageModel
{
    public const int Shown = 50;

    public WebhookEndpoint Endpoint { get; private set; } = null!;
    public IReadOnlyList<WebhookEndpoints.Call> Calls { get; private set; } = [];
    public CompanyTime Time { get; private set; } = null!;
    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (await WebhookEndpoints.FindAsync(db, CompanyId, id, ct) is not { } endpoint) return NotFound();
        Endpoint = endpoint;
        Calls = await WebhookEndpoints.LogAsync(db, endpoint, Shown, ct);
        Time = await CompanyTime.ForAsync(db, CompanyId, ct);
        Now = time.GetUtcNow();
        return Page();
    }
}
