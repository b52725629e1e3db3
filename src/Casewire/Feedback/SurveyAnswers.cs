using Casewire.Data;
using Casewire.Delivery;
using Casewire.Delivery.Inbound;
using Casewire.Delivery.Webhooks;
using Casewire.Hosting;
using Casewire.Milestones;
using Casewire.Model;
using Casewire.Portal;
using Casewire.Texts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Casewire.Feedback;

/// <summary>
/// A client's answer to an open survey (SPEC §13), from a text or the portal: the score and comment are
/// recorded on the survey; a promoter (9–10) is asked once ever for a review when the firm has a review URL;
/// a detractor (0–6) emails the case's team and waits on the dashboard until handled; <c>feedback.received</c>
/// is raised. Everything is tracked for the caller's save (one unit of work with the reply).
/// </summary>
sealed class SurveyAnswers(
    CasewireDb db, Outbox outbox, ShortLinks links, ClientTexts texts, WebhookEvents webhooks, IOptions<FeedbackOptions> options,
    IOptions<PublicUrlOptions> urls, TimeProvider time)
{
    /// <summary>The client's survey that takes an answer now: sent (not canceled) within the open days, not yet answered.</summary>
    public Task<Survey?> OpenSurveyAsync(int companyId, int contactId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var since = now - TimeSpan.FromDays(options.Value.OpenDays);
        return db.Surveys.ForCompany(companyId)
            .Where(s => s.ContactId == contactId && s.Score == null && s.SentAt <= now && s.SentAt >= since
                        && db.OutboxItems.Any(o => o.MessageId == s.MessageId
                                                   && (o.Status == DeliveryStatus.Sent || o.Status == DeliveryStatus.Delivered
                                                       || o.Status == DeliveryStatus.Sending)))
            .OrderByDescending(s => s.SentAt).ThenByDescending(s => s.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>An inbound text: the survey it answered, if it was a score to the client's open survey; null for an ordinary reply.</summary>
    public async Task<Survey?> OnTextAsync(int companyId, Contact? author, string body, CancellationToken ct)
    {
        if (author is null || !ScoreReplies.TryRead(body, out var score, out var comment)) return null;
        var survey = await OpenSurveyAsync(companyId, author.Id, ct);
        if (survey is null) return null; // a number with no survey open is an ordinary reply
        await RecordAsync(survey, score, comment, "sms", ct);
        return survey;
    }

    /// <summary>Records the answer and what it sets off; the survey must be tracked. Saved by the caller.</summary>
    public async Task RecordAsync(Survey survey, int score, string? comment, string via, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        survey.Score = score;
        survey.Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        survey.AnsweredAt = now;
        survey.AnsweredVia = via;

        var company = await db.Companies.AsNoTracking().SingleAsync(c => c.Id == survey.CompanyId, ct);
        var contact = await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == survey.ContactId, ct);
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == survey.ProjectId, ct);
        if (Survey.IsPromoter(score)) await AskForReviewAsync(company, project, contact, ct);
        if (Survey.IsDetractor(score)) await AlertTeamAsync(company, project, contact, survey, ct);
        await webhooks.RaiseAsync(company.Id, WebhookEventTypes.FeedbackReceived, FeedbackItem.From(survey, project.ExternalId, contact.ExternalId), ct);
    }

    /// <summary>SPEC §13: at most once per client ever, and only when the firm has a review URL.</summary>
    async Task AskForReviewAsync(Company company, Project project, Contact contact, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(company.ReviewUrl)) return;
        var asked = db.Messages.Local.Any(m => m.Kind == MessageKind.ReviewRequest && m.Deliveries.Any(d => d.ContactId == contact.Id))
                    || await db.OutboxItems.ForCompany(company.Id).AnyAsync(o => o.ContactId == contact.Id && o.Message!.Kind == MessageKind.ReviewRequest, ct);
        if (asked) return;
        var optedOut = contact.Phone is null ? [] : await db.OptOuts.ForCompany(company.Id).Where(o => o.Active && o.Phone == contact.Phone)
            .Select(o => o.Phone).ToListAsync(ct);
        var channels = ClientChannels.Of(contact, optedOut.ToHashSet());
        if (channels.Count == 0) return;
        var template = await texts.TemplateAsync(company.Id, TextKeys.ReviewRequest, Languages.For(contact, company), null, TextKind.ReviewRequest, ct);
        var parsed = Template.FromStored(template);
        var link = parsed.PortalLink(() => links.Issue(company, project.Id, contact.Id));
        var text = parsed.Render(new TemplateValues(contact.FirstName, contact.LastName, project.Name, "",
            company.Name, link, company.ReviewUrl));
        var now = time.GetUtcNow();
        var message = new Message
        {
            CompanyId = company.Id, ProjectId = project.Id, Direction = MessageDirection.Outbound, Kind = MessageKind.ReviewRequest,
            AuthorName = "Casewire", Text = text, Subject = Cut($"{company.Name}: {project.Name}"), CreatedAt = now,
        };
        foreach (var (channel, to) in channels)
        {
            var item = new OutboxItem
            {
                CompanyId = company.Id, Message = message, Channel = channel, To = to, Body = text, ContactId = contact.Id,
                Subject = channel == Channel.Email ? message.Subject : null, From = channel == Channel.Sms ? company.SenderNumber : null,
            };
            message.Deliveries.Add(item);
            outbox.Enqueue(item); // an answer to the client's own reply: at once, not in the window
        }
        db.Messages.Add(message);
    }

    /// <summary>SPEC §13: a detractor's score emails the case's team members at once.</summary>
    async Task AlertTeamAsync(Company company, Project project, Contact contact, Survey survey, CancellationToken ct)
    {
        var team = await ProjectTeam.MemberIdsAsync(db, company.Id, project.Id, ct);
        if (team.Count == 0) return;
        var members = await db.TeamMembers.AsNoTracking().ForCompany(company.Id).Where(m => team.Contains(m.Id))
            .Select(m => new { m.Id, m.Email }).ToListAsync(ct);
        var subject = Cut($"Unhappy client: {contact.FirstName} {contact.LastName} scored {survey.Score}/10 on {project.Name}");
        var body = $"""
            {contact.FirstName} {contact.LastName} answered the satisfaction survey on {project.Name} with {survey.Score} out of 10.
            {(survey.Comment is null ? "They left no comment." : $"Their comment: {survey.Comment}")}

            Open the case: {urls.Value.BaseUrl}/projects/{project.Id}
            It stays under "Needs attention" on the dashboard until someone marks it handled.
            """;
        foreach (var member in members.Where(m => !string.IsNullOrWhiteSpace(m.Email)))
            outbox.Enqueue(new OutboxItem
            {
                CompanyId = company.Id, Channel = Channel.Email, To = member.Email, Subject = subject, Body = body, TeamMemberId = member.Id,
            });
    }

    static string Cut(string subject) => subject.Length <= Limits.Name ? subject : subject[..(Limits.Name - 1)] + "…";
}
