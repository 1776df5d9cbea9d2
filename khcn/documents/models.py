"""An agency's own version of a document template.

The uploaded .docx is an `Attachment` (checked, content-addressed and versioned by
`khcn.core`); replacing the template again adds a version to the same attachment.
Without a row the packaged default of `templates_docx/` is used.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from khcn.documents.catalogue import DOCUMENTS


class TemplateOverride(models.Model):
    CODE_CHOICES = [(code, spec.title) for code, spec in DOCUMENTS.items()]
    # The template file follows the template: whoever manages templates may read and replace it.
    ATTACHMENT_ACTIONS = {
        "view": "documents.manage_templates",
        "upload": "documents.manage_templates",
    }

    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="document_templates",
    )
    code = models.CharField(_("văn bản"), max_length=40, choices=CODE_CHOICES)
    attachment = models.ForeignKey(
        "core.Attachment", verbose_name=_("tệp mẫu"), on_delete=models.PROTECT, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thay"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("thời điểm thay"))

    class Meta:
        verbose_name = _("mẫu văn bản riêng")
        verbose_name_plural = _("mẫu văn bản riêng")
        ordering = ["agency", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="template_override_unique")
        ]

    def __str__(self) -> str:
        return str(DOCUMENTS[self.code].title) if self.code in DOCUMENTS else self.code
