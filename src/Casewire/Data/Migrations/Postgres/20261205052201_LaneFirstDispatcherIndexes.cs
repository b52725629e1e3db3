using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Casewire.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class LaneFirstDispatcherIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxItems_Due",
                table: "OutboxItems");

            migrationBuilder.DropIndex(
                name: "IX_OutboxItems_Leased",
                table: "OutboxItems");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxItems_Due",
                table: "OutboxItems",
                columns: new[] { "Channel", "AvailableAt" },
                filter: "\"Status\" = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxItems_Leased",
                table: "OutboxItems",
                columns: new[] { "Channel", "LeaseExpiresAt" },
                filter: "\"Status\" = 'Sending'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxItems_Due",
                table: "OutboxItems");

            migrationBuilder.DropIndex(
                name: "IX_OutboxItems_Leased",
                table: "OutboxItems");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxItems_Due",
                table: "OutboxItems",
                column: "AvailableAt",
                filter: "\"Status\" = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxItems_Leased",
                table: "OutboxItems",
                column: "LeaseExpiresAt",
                filter: "\"Status\" = 'Sending'");
        }
    }
}
