using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Casewire.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UniqueSenderNumbersAndShortLinks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PortalShortLinks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CompanyId = table.Column<int>(type: "INTEGER", nullable: false),
                    ProjectId = table.Column<int>(type: "INTEGER", nullable: false),
                    ContactId = table.Column<int>(type: "INTEGER", nullable: false),
                    CodeHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    LinkVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    IssuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PortalShortLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PortalShortLinks_Companies_CompanyId",
                        column: x => x.CompanyId,
                        principalTable: "Companies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PortalShortLinks_Contacts_ContactId",
                        column: x => x.ContactId,
                        principalTable: "Contacts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PortalShortLinks_Projects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "Projects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // SPEC §9: an installation may already hold one number under several companies. The oldest claim (the lowest id)
            // keeps it, the later ones are cleared and send from Twilio:From until their admin sets a number of their own;
            // DatabaseMigrator logs each one before this runs (docs/decisions.md, "Sender numbers are unique").
            migrationBuilder.Sql(UniqueSenderNumbers.ClearLaterClaims);

            migrationBuilder.CreateIndex(
                name: "IX_Companies_SenderNumber",
                table: "Companies",
                column: "SenderNumber",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PortalShortLinks_CodeHash",
                table: "PortalShortLinks",
                column: "CodeHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PortalShortLinks_CompanyId",
                table: "PortalShortLinks",
                column: "CompanyId");

            migrationBuilder.CreateIndex(
                name: "IX_PortalShortLinks_ContactId",
                table: "PortalShortLinks",
                column: "ContactId");

            migrationBuilder.CreateIndex(
                name: "IX_PortalShortLinks_ExpiresAt",
                table: "PortalShortLinks",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_PortalShortLinks_ProjectId",
                table: "PortalShortLinks",
                column: "ProjectId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PortalShortLinks");

            migrationBuilder.DropIndex(
                name: "IX_Companies_SenderNumber",
                table: "Companies");
        }
    }
}
