using Casewire.Data;
using Casewire.Delivery.Inbound;
using Casewire.Feedback;
using Casewire.Model;
using Casewire.Time;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Casewire.Portal.Pages;

/// <summary>
/// <c>/p/{code}</c> (the short link every text carries now) and <c>/portal/{token}</c> (the signed links sent before):
/// one client's view of their case, and the box to write to the firm. A link that does not work (altered, revoked,
/// expired, or no longer the client's case) shows the same plain page, 404, with nothing of the case; an expired one
/// may ask for a fresh link (<see cref="FreshLinks"/>). A short code that does not work always looks expired, so an
/// unknown code cannot be told from a real one that has run out.
/// </summary>
sealed class CaseModel(CasewireDb db, PortalLinks links, ShortLinks shortLinks, ClientReplies replies, FreshLinks freshLinks,
    SurveyAnswers answers, PortalDocuments documents, TimeProvider time) : PageModel
{
    /// <summary>Replies one link may send in a minute: more than a person types, few enough to stop a script.</summary>
    public const int RepliesPerMinute = 3;

    [BindProperty] public string? Text { get; set; }
    /// <summary>Shown once after a reply was sent.</summary>
    [TempData] public string? Notice { get; set; }

    public LinkState State { get; private set; }
    public PortalCase? Case { get; private set; }
    public bool NewLinkRequested { get; private set; }
    /// <summary>The portal's words in the client's language (SPEC §13); English until the link is known to work.</summary>
    public PortalWords L { get; private set; } = new(Texts.Languages.English);
    /// <summary>The client's open satisfaction survey, shown as 0–10 buttons (SPEC §13).</summary>
    public bool SurveyOpen { get; private set; }
    /// <summary>The case's documents this client sees (SPEC §14), newest first.</summary>
    public IReadOnlyList<PortalDocuments.Entry> Documents { get; private set; } = [];

    [BindProperty] public int? Score { get; set; }
    [BindProperty] public string? Comment { get; set; }

    /// <summary>The route of a short link (<c>/p/{code}</c>); the page's own route is the long one.</summary>
    public const string ShortRoute = "p/{code}";

    /// <summary>The route values: <c>token</c> on a long link, <c>code</c> on a short one.</summary>
    string? Code => RouteData.Values["code"] as string;

    bool IsShort => Code is not null;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var (state, client) = await OpenAsync(ct);
        return state == LinkState.Works ? await ShowAsync(client!, ct) : NoLongerWorks(state);
    }

    Task<(LinkState State, PortalClient? Client)> OpenAsync(CancellationToken ct) =>
        PortalClient.OpenRouteAsync(db, links, shortLinks, RouteData, time.GetUtcNow(), ct);

    /// <summary>
    /// Back to this page by the link the client opened, after a form. Not a <see cref="RedirectResult"/>: that logs the
    /// URL it redirects to, and this URL is the client's credential (SPEC §11).
    /// </summary>
    StatusCodeResult Here(string? fragment = null)
    {
        Response.Headers.Location = Request.PathBase.Add(Request.Path).ToUriComponent() + fragment;
        return StatusCode(StatusCodes.Status302Found);
    }

    /// <summary>The reply box: the message joins the case's conversation as a client's reply, exactly as a text would.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (state, client) = await OpenAsync(ct);
        if (state != LinkState.Works) return NoLongerWorks(state);
        var now = time.GetUtcNow().TruncateToMilliseconds();
        var text = Text?.Trim();
        L = new PortalWords(Texts.Languages.For(client!.Contact, client.Company));
        if (string.IsNullOrEmpty(text))
            ModelState.AddModelError(nameof(Text), L["Please write your message before sending it."]);
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
        Notice = L["Your message is sent. Your case team will read it and get back to you."];
        return Here("#conversation");
    }

    /// <summary>The survey's answer: a score 0–10 and an optional comment, recorded as a texted score would be.</summary>
    public async Task<IActionResult> OnPostSurveyAsync(CancellationToken ct)
    {
        var (state, client) = await OpenAsync(ct);
        if (state != LinkState.Works) return NoLongerWorks(state);
        L = new PortalWords(Texts.Languages.For(client!.Contact, client.Company));
        var survey = await answers.OpenSurveyAsync(client.Company.Id, client.Contact.Id, ct);
        if (survey is null || survey.ProjectId != client.Project.Id) return Here();
        if (Score is not (>= 0 and <= 10))
        {
            ModelState.AddModelError(nameof(Score), L["Please choose a number from 0 to 10."]);
            return await ShowAsync(client, ct);
        }
        var comment = Comment?.Trim();
        await answers.RecordAsync(survey, Score.Value, comment is { Length: > Survey.MaxComment } ? comment[..Survey.MaxComment] : comment, "portal", ct);
        await db.SaveChangesAsync(ct);
        Notice = L["Thank you for your answer."];
        return Here("#survey");
    }

    /// <summary>An expired link asks for a fresh one; the answer is the same whether or not one was sent.</summary>
    public async Task<IActionResult> OnPostNewLinkAsync(CancellationToken ct)
    {
        var (state, client) = await OpenAsync(ct);
        if (state == LinkState.Works) return Here();
        if (state == LinkState.Expired && await freshLinks.SendAsync(client!, ct)) await db.SaveChangesAsync(ct);
        NewLinkRequested = state == LinkState.Expired || IsShort;
        return NoLongerWorks(state);
    }

    async Task<IActionResult> ShowAsync(PortalClient client, CancellationToken ct)
    {
        State = LinkState.Works;
        Case = await PortalCase.LoadAsync(db, client, time.GetUtcNow(), ct);
        L = new PortalWords(Case.Language);
        var survey = await answers.OpenSurveyAsync(client.Company.Id, client.Contact.Id, ct);
        SurveyOpen = survey is not null && survey.ProjectId == client.Project.Id;
        Documents = await documents.ListAsync(client, ct);
        ViewData["Firm"] = client.Company.Name;
        ViewData["Language"] = L.Language;
        ViewData["Words"] = L;
        return Page();
    }

    IActionResult NoLongerWorks(LinkState state)
    {
        // A short code is 10 characters anyone can type: whether it was ever issued stays unsaid.
        State = IsShort ? LinkState.Expired : state;
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
