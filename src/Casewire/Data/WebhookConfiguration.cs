using Casewire.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Casewire.Data;

sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> e)
    {
        e.Property(x => x.Url).HasMaxLength(WebhookEndpoint.MaxUrlLength);
        e.Property(x => x.Secret).HasMaxLength(100);
        e.Property(x => x.Events).HasMaxLength(500);
        e.Property(x => x.Description).HasMaxLength(Limits.Name);
        e.Property(x => x.DisabledReason).HasMaxLength(1000);
        e.Property(x => x.LastError).HasMaxLength(1000);
        e.Ignore(x => x.IsEnabled);
        e.HasIndex(x => x.CompanyId);
        e.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId);
        // A deleted endpoint's past calls stay in the delivery log, detached (its pending ones are canceled first).
        e.HasMany<OutboxItem>().WithOne(x => x.WebhookEndpoint).HasForeignKey(x => x.WebhookEndpointId).OnDelete(DeleteBehavior.SetNull);
    }
}
