using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Casewire.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Milestones : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "WelcomeTemplate",
                table: "ProjectTypes",
                type: "character varying(1600)",
                maxLength: 1600,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MessageTemplate",
                table: "Phases",
                type: "character varying(1600)",
                maxLength: 1600,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PhaseId",
                table: "Messages",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PortalBaseUrl",
                table: "Companies",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<TimeOnly>(
                name: "WindowEnd",
                table: "Companies",
                type: "time without time zone",
                nullable: false,
                defaultValue: new TimeOnly(20, 0, 0)); // existing firms keep the default business hours, not midnight

            migrationBuilder.AddColumn<TimeOnly>(
                name: "WindowStart",
                table: "Companies",
                type: "time without time zone",
                nullable: false,
                defaultValue: new TimeOnly(8, 0, 0)); // existing firms keep the default business hours, not midnight

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FriendlyName = table.Column<string>(type: "text", nullable: true),
                    Xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PhaseDrips",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PhaseId = table.Column<int>(type: "integer", nullable: false),
                    AfterDays = table.Column<int>(type: "integer", nullable: false),
                    RepeatEveryDays = table.Column<int>(type: "integer", nullable: true),
                    MaxTimes = table.Column<int>(type: "integer", nullable: false),
                    Template = table.Column<string>(type: "character varying(1600)", maxLength: 1600, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PhaseDrips", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PhaseDrips_Phases_PhaseId",
                        column: x => x.PhaseId,
                        principalTable: "Phases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Messages_PhaseId",
                table: "Messages",
                column: "PhaseId");

            migrationBuilder.CreateIndex(
                name: "IX_PhaseDrips_PhaseId",
                table: "PhaseDrips",
                column: "PhaseId");

            migrationBuilder.AddForeignKey(
                name: "FK_Messages_Phases_PhaseId",
                table: "Messages",
                column: "PhaseId",
                principalTable: "Phases",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Messages_Phases_PhaseId",
                table: "Messages");

            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.DropTable(
                name: "PhaseDrips");

            migrationBuilder.DropIndex(
                name: "IX_Messages_PhaseId",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "WelcomeTemplate",
                table: "ProjectTypes");

            migrationBuilder.DropColumn(
                name: "MessageTemplate",
                table: "Phases");

            migrationBuilder.DropColumn(
                name: "PhaseId",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "PortalBaseUrl",
                table: "Companies");

            migrationBuilder.DropColumn(
                name: "WindowEnd",
                table: "Companies");

            migrationBuilder.DropColumn(
                name: "WindowStart",
                table: "Companies");
        }
    }
}
