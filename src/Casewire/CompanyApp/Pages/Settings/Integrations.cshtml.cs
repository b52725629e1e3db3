using Casewire.Data;
using Casewire.Delivery.Webhooks;
using Casewire.Model;
using Casewire.Partner.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Casewire.CompanyApp.Pages.Settings;

/// <summary>
/// Settings → Integrations (SPEC §8), admins only: the Partner API card and the company's API tokens —
/// create one (its full value is in this one response and nowhere else), see when each was last used, revoke one.
/// The same <see cref="ApiTokens"/> as <c>casewire token create|list|revoke</c>. And the outbound webhook endpoints
/// (README "Webhooks"): add one (its signing secret is shown in that one response), delete one, re-enable a disabled one —
/// the same <see cref="WebhookEndpoints"/> as <c>casewire webhook create|list|delete|enable</c>.
/// </summary>
[Authorize(Policy = StaffPolicies.Admin)]
sealed class IntegrationsModel(CasewireDb db, WebhookAddresses addresses, TimeProvider time) : StaffPageModel
{
    [BindProperty] public string? TokenName { get; set; }

    [BindProperty] public string? WebhookUrl { get; set; }
    /// <summary>The ticked event types; <c>*</c> is the "All events" box (also the types added later).</summary>
    [BindProperty] public List<string> WebhookEvents { get; set; } = [];
    [BindProperty] public string? WebhookDescription { get; set; }

    public IReadOnlyList<WebhookEndpoint> Webhooks { get; private set; } = [];

    /// <summary>Set only in the response to the POST that added it: the one time the app shows the signing secret.</summary>
    public (string Url, string Secret)? NewWebhook { get; private set; }

    /// <summary>Whether the add-endpoint form has "All events" ticked: by default, and after a post that ticked it.</summary>
    public bool AllEventsTicked => !HttpMethods.IsPost(Request.Method) || NewWebhook is not null || WebhookEvents.Contains("*");

    public IReadOnlyList<ApiToken> Tokens { get; private set; } = [];
    public CompanyTime Time { get; private set; } = null!;
    public string ApiBaseUrl => $"{Request.Scheme}://{Request.Host}/partner/v2";

    /// <summary>Set only on the page a token's creation redirected to: the one time the full token is shown.</summary>
    public (string Name, string Secret)? NewToken { get; private set; }

    // A secret made by a POST is shown by the GET it redirects to (post-redirect-get: a reload never makes a second
    // one). It travels in the TempData cookie, encrypted with the Data Protection keys, and is gone once shown.
    [TempData] public string? ShownTokenName { get; set; }
    [TempData] public string? ShownTokenSecret { get; set; }
    [TempData] public string? ShownWebhookUrl { get; set; }
    [TempData] public string? ShownWebhookSecret { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (ShownTokenSecret is { } tokenSecret) NewToken = (ShownTokenName ?? "", tokenSecret);
        if (ShownWebhookSecret is { } webhookSecret) NewWebhook = (ShownWebhookUrl ?? "", webhookSecret);
        if (NewToken is not null || NewWebhook is not null) Response.Headers.CacheControl = "no-store"; // never from a cache
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        if (ApiTokens.NameProblem(TokenName) is { } problem)
        {
            ModelState.AddModelError(nameof(TokenName), problem);
            await LoadAsync(ct);
            return Page();
        }
        var (token, secret) = await ApiTokens.CreateAsync(db, CompanyId, TokenName!, time.GetUtcNow(), ct);
        (ShownTokenName, ShownTokenSecret) = (token.Name, secret);
        return Redirect("/settings/integrations");
    }

    /// <summary>Revokes one of the company's tokens; another company's id is a 404, as if it did not exist.</summary>
    public async Task<IActionResult> OnPostRevokeAsync(int id, CancellationToken ct)
    {
        switch (await ApiTokens.RevokeAsync(db, CompanyId, id, time.GetUtcNow(), ct))
        {
            case ApiTokens.RevokeOutcome.NotFound:
                return NotFound();
            case ApiTokens.RevokeOutcome.AlreadyRevoked:
                Flash = "That token was already revoked.";
                break;
            default:
                Flash = "Token revoked: requests that use it are refused from now on.";
                break;
        }
        return Redirect("/settings/integrations");
    }

    public async Task<IActionResult> OnPostCreateWebhookAsync(CancellationToken ct)
    {
        if (await addresses.CheckUrlAsync(WebhookUrl, ct) is { } wrongUrl)
            ModelState.AddModelError(nameof(WebhookUrl), Sentence(wrongUrl));
        string? filter = null;
        if (WebhookEvents.Count == 0)
            ModelState.AddModelError(nameof(WebhookEvents), "Choose the events to send, or “All events”.");
        else
        {
            filter = WebhookEventTypes.Parse(string.Join(',', WebhookEvents), out var unknown);
            if (unknown.Count > 0)
                ModelState.AddModelError(nameof(WebhookEvents), $"Not an event type: {string.Join(", ", unknown)}.");
        }
        var description = WebhookDescription?.Trim();
        if (description is { Length: > Limits.Name })
            ModelState.AddModelError(nameof(WebhookDescription), $"The description is {description.Length} characters long; at most {Limits.Name} are accepted.");
        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }

        var endpoint = await WebhookEndpoints.CreateAsync(db, CompanyId, WebhookUrl!, filter, description, time.GetUtcNow(), ct);
        (ShownWebhookUrl, ShownWebhookSecret) = (endpoint.Url, endpoint.Secret);
        return Redirect("/settings/integrations");
    }

    /// <summary>Deletes one of the company's endpoints (its pending calls are canceled); another company's id is a 404.</summary>
    public async Task<IActionResult> OnPostDeleteWebhookAsync(int id, CancellationToken ct)
    {
        if (await WebhookEndpoints.FindAsync(db, CompanyId, id, ct) is not { } endpoint) return NotFound();
        var canceled = await WebhookEndpoints.DeleteAsync(db, endpoint, ct);
        Flash = $"Webhook endpoint {endpoint.Url} deleted" + (canceled > 0 ? $"; {canceled} pending {(canceled == 1 ? "call" : "calls")} canceled." : ".");
        return Redirect("/settings/integrations");
    }

    /// <summary>Turns one of the company's disabled endpoints back on; another company's id is a 404.</summary>
    public async Task<IActionResult> OnPostEnableWebhookAsync(int id, CancellationToken ct)
    {
        if (await WebhookEndpoints.FindAsync(db, CompanyId, id, ct) is not { } endpoint) return NotFound();
        Flash = await WebhookEndpoints.EnableAsync(db, endpoint, ct)
            ? $"Webhook endpoint {endpoint.Url} enabled: new events are sent to it again (those raised while it was off are not)."
            : "That webhook endpoint was already enabled.";
        return Redirect("/settings/integrations");
    }

    /// <summary>The shared checks speak in fragments for the CLI ("the URL is required…"); a form shows a sentence.</summary>
    static string Sentence(string problem) => char.ToUpperInvariant(problem[0]) + problem[1..];

    async Task LoadAsync(CancellationToken ct)
    {
        Time = await CompanyTime.ForAsync(db, CompanyId, ct);
        Tokens = (await ApiTokens.ListAsync(db, CompanyId, ct)).OrderBy(t => t.RevokedAt is not null).ThenByDescending(t => t.Id).ToList();
        Webhooks = await WebhookEndpoints.ListAsync(db, CompanyId, ct);
    }
}
