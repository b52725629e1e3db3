using Casewire.Data;
using Casewire.Delivery;
using Casewire.Milestones;
using Casewire.Model;
using Casewire.Portal;
using Casewire.Texts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Casewire.Feedback;

/// <summary>
/// Asks a project's clients for a score (SPEC §13): when the project enters a phase chosen on its type, or
/// completes (the type's choice, else the company's). The question goes through the outbox in the delivery
/// window, in the client's language, at most once per client per <see cref="FeedbackOptions.MinDaysBetweenSurveys"/>.
/// Runs inside the caller's transaction; the caller saves.
/// </summary>
sealed class Surveys(CasewireDb db, Outbox outbox, ShortLinks links, ClientTexts texts, IOptions<FeedbackOptions> options)
{
    public const string CompletionTrigger = "completion";
    public static string PhaseTrigger(string phaseName) => $"phase:{phaseName}";

    /// <summary>What a saved project asks for: a survey on completion wins over one of the phase entered with it.</summary>
    public async Task OnProjectSavedAsync(Company company, Project project, ProjectType type, Phase? enteredPhase, bool completed,
        IReadOnlyList<Contact> clients, IReadOnlySet<string> optedOut, DateTimeOffset now, CancellationToken ct)
    {
        string? trigger = completed && (type.SurveyOnCompletion ?? company.SurveyOnCompletion) ? CompletionTrigger
            : enteredPhase is { SendsSurvey: true } ? PhaseTrigger(enteredPhase.Name)
            : null;
        if (trigger is null || clients.Count == 0) return;

        var spacing = TimeSpan.FromDays(options.Value.MinDaysBetweenSurveys);
        var ids = clients.Select(c => c.Id).ToList();
        var recent = await db.Surveys.AsNoTracking().ForCompany(company.Id)
            .Where(s => ids.Contains(s.ContactId) && s.SentAt > now - spacing).Select(s => s.ContactId).ToListAsync(ct);
        var dueAt = BusinessHours.DeliverAt(company, now);
        foreach (var client in clients.Where(c => !recent.Contains(c.Id)))
            await AskAsync(company, project, client, trigger, dueAt, optedOut, ct);
    }

    async Task AskAsync(Company company, Project project, Contact client, string trigger, DateTimeOffset dueAt,
        IReadOnlySet<string> optedOut, CancellationToken ct)
    {
        var channels = ClientChannels.Of(client, optedOut);
        if (channels.Count == 0) return;
        var template = await texts.TemplateAsync(company.Id, TextKeys.Survey, Languages.For(client, company), null, TextKind.Survey, ct);
        var parsed = Template.FromStored(template);
        var link = parsed.PortalLink(() => links.Issue(company, project.Id, client.Id));
        var text = parsed.Render(new TemplateValues(client.FirstName, client.LastName, project.Name, "",
            company.Name, link, company.ReviewUrl ?? ""));
        var subject = $"{company.Name}: {project.Name}";
        var message = new Message
        {
            CompanyId = company.Id, ProjectId = project.Id, PhaseId = project.PhaseId, Direction = MessageDirection.Outbound,
            Kind = MessageKind.Survey, AuthorName = "Casewire", Text = text,
            Subject = subject.Length <= Limits.Name ? subject : subject[..Limits.Name], CreatedAt = dueAt < project.UpdatedAt ? dueAt : project.UpdatedAt,
        };
        foreach (var (channel, to) in channels)
        {
            var item = new OutboxItem
            {
                CompanyId = company.Id, Message = message, Channel = channel, To = to, Body = text, ContactId = client.Id, DueAt = dueAt,
                CoalescingKey = $"project:{project.Id}:survey:{client.Id}", Subject = channel == Channel.Email ? message.Subject : null,
                From = channel == Channel.Sms ? company.SenderNumber : null,
            };
            message.Deliveries.Add(item);
            outbox.Enqueue(item);
        }
        db.Messages.Add(message);
        db.Surveys.Add(new Survey
        {
            CompanyId = company.Id, ProjectId = project.Id, ContactId = client.Id, Message = message, Trigger = trigger, SentAt = dueAt,
        });
    }
}
