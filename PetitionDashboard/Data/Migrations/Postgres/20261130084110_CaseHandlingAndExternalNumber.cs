using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PetitionDashboard.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CaseHandlingAndExternalNumber : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ExternalNumber",
                table: "Petitions",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true,
                collation: "C");

            migrationBuilder.AddColumn<int>(
                name: "PendingExtensionDays",
                table: "Petitions",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PendingExtensionReason",
                table: "Petitions",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true,
                collation: "C");

            migrationBuilder.AddColumn<string>(
                name: "PendingExtensionRequestedBy",
                table: "Petitions",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true,
                collation: "C");

            migrationBuilder.AddColumn<DateOnly>(
                name: "PendingExtensionRequestedOn",
                table: "Petitions",
                type: "date",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_ExternalNumber",
                table: "Petitions",
                column: "ExternalNumber",
                unique: true,
                filter: "\"ExternalNumber\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Petitions_ExternalNumber",
                table: "Petitions");

            migrationBuilder.DropColumn(
                name: "ExternalNumber",
                table: "Petitions");

            migrationBuilder.DropColumn(
                name: "PendingExtensionDays",
                table: "Petitions");

            migrationBuilder.DropColumn(
                name: "PendingExtensionReason",
                table: "Petitions");

            migrationBuilder.DropColumn(
                name: "PendingExtensionRequestedBy",
                table: "Petitions");

            migrationBuilder.DropColumn(
                name: "PendingExtensionRequestedOn",
                table: "Petitions");
        }
    }
}
