"""The journal of appeals made by phone, e-mail and letter: intake, deadlines and control."""
