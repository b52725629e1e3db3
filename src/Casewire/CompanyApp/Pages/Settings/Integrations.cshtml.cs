using Casewire.Data;
using Casewire.Model;
using Casewire.Partner.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Casewire.CompanyApp.Pages.Settings;

/// <summary>
/// Settings → Integrations (SPEC §8; issue 7, item 2), admins only: the Partner API card and the company's API tokens —
/// create one (its full value is in this one response and nowhere else), see when each was last used, revoke one.
/// The same <see cref="ApiTokens"/> as <c>casewire token create|list|revoke</c>.
/// </summary>
[Authorize(Policy = StaffPolicies.Admin)]
public sealed class IntegrationsModel(CasewireDb db, TimeProvider time) : StaffPageModel
{
    [BindProperty] public string? TokenName { get; set; }

    public IReadOnlyList<ApiToken> Tokens { get; private set; } = [];
    public CompanyTime Time { get; private set; } = null!;
    public string ApiBaseUrl => $"{Request.Scheme}://{Request.Host}/partner/v2";

    /// <summary>Set only in the response to the POST that created it: the one time the full token is shown.</summary>
    public (string Name, string Secret)? NewToken { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        if (ApiTokens.NameProblem(TokenName) is { } problem)
        {
            ModelState.AddModelError(nameof(TokenName), problem);
            await LoadAsync(ct);
            return Page();
        }
        var (token, secret) = await ApiTokens.CreateAsync(db, CompanyId, TokenName!, time.GetUtcNow(), ct);
        NewToken = (token.Name, secret);
        TokenName = null;
        ModelState.Clear();
        // Rendered here rather than after a redirect, so the secret never travels in a cookie; and kept out of caches.
        Response.Headers.CacheControl = "no-store";
        await LoadAsync(ct);
        return Page();
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

    async Task LoadAsync(CancellationToken ct)
    {
        Time = await CompanyTime.ForAsync(db, CompanyId, ct);
        Tokens = (await ApiTokens.ListAsync(db, CompanyId, ct)).OrderBy(t => t.RevokedAt is not null).ThenByDescending(t => t.Id).ToList();
    }
}
