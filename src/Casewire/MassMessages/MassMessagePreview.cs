using Casewire.Delivery;
using Casewire.Milestones;
using Casewire.Model;
using Casewire.Portal;

namespace Casewire.MassMessages;

/// <summary>
/// What the composer shows before anything is sent (SPEC §12): whom the filter reaches and whom it skips and why
/// (<see cref="Audience"/>, exactly as sending will), and the text as the first recipient will read it, with its SMS
/// segment count. A portal link in the sample is as long as a real one but opens nothing, and nothing is saved.
/// </summary>
sealed class MassMessagePreview(Audience audience, ShortLinks links)
{
    /// <param name="For">The sample recipient's name.</param>
    public sealed record Sample(string For, string Project, string Text, int Segments);

    public sealed record Result(Audience.Result Audience, Sample? Sample);

    public async Task<Result> ForAsync(Company company, MassMessageFilter filter, Template? template, CancellationToken ct)
    {
        var reached = await audience.ResolveAsync(company.Id, filter, ct);
        if (template is null || reached.Recipients.Count == 0) return new Result(reached, null);
        var (client, project) = (reached.Recipients[0].Contact, reached.Recipients[0].Project);
        var text = template.Render(new TemplateValues(client.FirstName, client.LastName, project.Name, project.PhaseName, company.Name,
            template.PortalLink(() => links.Sample(company))));
        return new Result(reached, new Sample($"{client.FirstName} {client.LastName}".Trim(), project.Name, text, SmsSegments.Count(text)));
    }
}
