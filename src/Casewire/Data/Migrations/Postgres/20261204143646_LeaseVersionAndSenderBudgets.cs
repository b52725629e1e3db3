using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Casewire.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class LeaseVersionAndSenderBudgets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "LeaseVersion",
                table: "OutboxItems",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "SenderBudgets",
                columns: table => new
                {
                    Sender = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    NextFreeAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SenderBudgets", x => x.Sender);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SenderBudgets");

            migrationBuilder.DropColumn(
                name: "LeaseVersion",
                table: "OutboxItems");
        }
    }
}
