using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Casewire.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AdminPages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_OutboxItems_CompanyId_SentAt",
                table: "OutboxItems",
                columns: new[] { "CompanyId", "SentAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Messages_CompanyId_Direction_Id",
                table: "Messages",
                columns: new[] { "CompanyId", "Direction", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxItems_CompanyId_SentAt",
                table: "OutboxItems");

            migrationBuilder.DropIndex(
                name: "IX_Messages_CompanyId_Direction_Id",
                table: "Messages");
        }
    }
}
