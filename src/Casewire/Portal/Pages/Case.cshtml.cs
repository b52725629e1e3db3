using Casewire.Data;
using Casewire.Delivery.Inbound;
using Casewire.Model;
using Casewire.Time;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Casewire.Portal.Pages;

/// <summary>
/// <c>/portal/{token}</c>: one client's view of their case, and the box to write to the firm. A link that
/// does not work (altered, revoked, expired, or no longer the client's case) shows the same plain page,
/// 404, with nothing of the case; an expired one may ask for a fresh link (<see cref="FreshLinks"/>).
/// </summary>
sealed class CaseModel(CasewireDb db, PortalLinks links, ClientReplies replies, FreshLinks freshLinks, PortalDocuments documents, TimeProvider time)
    : PageModel
{
    /// <summary>Replies one link may send in a minute: more than a person types, few enough to stop a script.</summary>
    public const int RepliesPerMinute = 3;

    [BindProperty] public string? Text { get; set; }
    /// <summary>Shown once after a reply was sent.</summary>
    [TempData] public string? Notice { get; set; }

    public LinkState State { get; private set; }
    public PortalCase? Case { get; private set; }
    public bool NewLinkRequested { get; private set; }
    /// <summary>The case's documents this client sees (SPEC §14), newest first.</summary>
    public IReadOnlyList<PortalDocuments.Entry> Documents { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        var (state, client) = await PortalClient.OpenAsync(db, links, token, ct);
        return state == LinkState.Works ? await ShowAsync(client!, ct) : NoLongerWorks(state);
    }

    /// <summary>The reply box: the message joins the case's conversation as a client's reply, exactly as a text would.</summary>
    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        var (state, client) = await PortalClient.OpenAsync(db, links, token, ct);
        if (state != LinkState.Works) return NoLongerWorks(state);
        var now = time.GetUtcNow().TruncateToMilliseconds();
        var text = Text?.Trim();
        if (string.IsNullOrEmpty(text))
            ModelState.AddModelError(nameof(Text), "Please write your message before sending it.");
        else if (text.Length > Limits.MessageText)
            ModelState.AddModelError(nameof(Text), $"Your message is {text.Length} characters long; please keep it to {Limits.MessageText} or send it in parts.");
        else if (await PortalCase.PortalRepliesSinceAsync(db, client!, now - TimeSpan.FromMinutes(1), ct) >= RepliesPerMinute)
        {
            ModelState.AddModelError(nameof(Text),
                "You have sent several messages in the last minute. They have reached us; please wait a minute before sending another.");
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
        }
        if (!ModelState.IsValid) return await ShowAsync(client!, ct);

        var reply = await replies.AddAsync(new ClientReplies.Reply(client!.Company.Id, client.Project.Id, client.Contact, text!, now), ct);
        await replies.SaveAsync(reply, ct);
        Notice = "Your message is sent. Your case team will read it and get back to you.";
        return RedirectToPage(pageName: null, pageHandler: null, routeValues: new { token }, fragment: "conversation");
    }

    /// <summary>An expired link asks for a fresh one; the answer is the same whether or not one was sent.</summary>
    public async Task<IActionResult> OnPostNewLinkAsync(string token, CancellationToken ct)
    {
        var (state, client) = await PortalClient.OpenAsync(db, links, token, ct);
        if (state == LinkState.Works) return RedirectToPage(new { token });
        if (state == LinkState.Expired && await freshLinks.SendAsync(client!, ct)) await db.SaveChangesAsync(ct);
        NewLinkRequested = state == LinkState.Expired;
        return NoLongerWorks(state);
    }

    async Task<IActionResult> ShowAsync(PortalClient client, CancellationToken ct)
    {
        State = LinkState.Works;
        Case = await PortalCase.LoadAsync(db, client, time.GetUtcNow(), ct);
        Documents = await documents.ListAsync(client, ct);
        ViewData["Firm"] = client.Company.Name;
        return Page();
    }

    IActionResult NoLongerWorks(LinkState state)
    {
        State = state;
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
