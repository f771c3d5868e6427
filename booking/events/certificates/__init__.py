"""Certificates of attendance (受講証明書) and event materials (資料)."""


def init_app(app) -> None:
    """The holder's downloads, the public verification page, the staff page, and My Page's
    panel (templates/certificates/_mypage.html asks `my_certificates_panel`)."""
    from booking.events.certificates.panel import my_certificates_panel
    from booking.events.certificates.staff_views import bp as staff_bp
    from booking.events.certificates.views import bp as public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(staff_bp)
    app.add_template_global(my_certificates_panel, "my_certificates_panel")
