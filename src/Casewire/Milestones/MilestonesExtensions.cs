namespace Casewire.Milestones;

static class MilestonesExtensions
{
    /// <summary>Welcome, phase-change and drip notifications (SPEC §6) and the editing of their texts and of the case trackers.</summary>
    public static IHostApplicationBuilder AddMilestones(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<MilestoneMessages>();
        builder.Services.AddScoped<MilestoneTemplates>();
        builder.Services.AddScoped<CaseTrackerEdits>();
        builder.Services.AddScoped<PhaseEntries>();
        return builder;
    }
}
